import { useCallback } from "react";
import { useBackend, type Anomaly } from "../backend";
import { useUndoableRemoval, type UndoableRemoval } from "./useUndoableRemoval";

/**
 * Delete with undo for anomaly rules: removes a rule, and Undo adds the same rule back (under a
 * new id); calls `onChange` after each change.
 */
export function useAnomalyRemoval(onChange: () => void): UndoableRemoval<Anomaly> {
  const backend = useBackend();
  const remove = useCallback(
    (anomaly: Anomaly) => backend.removeAnomalyRule(anomaly.id).then(() => anomaly),
    [backend],
  );
  const restore = useCallback(
    ({ rule, action }: Anomaly) => backend.addAnomalyRule({ rule, action }),
    [backend],
  );
  return useUndoableRemoval(remove, restore, onChange);
}

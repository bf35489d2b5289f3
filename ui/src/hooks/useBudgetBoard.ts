import { useCallback } from "react";
import { useBackend, type BudgetBoard } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";
import { useBackendEvent, type Subscribe } from "./useBackendEvent";

const subscribe: Subscribe<BudgetBoard> = (backend, listener) => backend.onBudgetBoardChanged(listener);

/**
 * The budget board (every budget with where it stands, and the pauses holding now), fetched on
 * mount and replaced by each `budget-board-changed` event.
 */
export function useBudgetBoard(): AsyncResult<BudgetBoard> {
  const backend = useBackend();
  const load = useCallback(() => backend.budgetBoard(), [backend]);
  const result = useAsync(load);
  useBackendEvent(subscribe, result.setData, "Live budget updates");
  return result;
}

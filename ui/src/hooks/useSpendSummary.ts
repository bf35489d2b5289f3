import { useCallback } from "react";
import { useBackend, type SpendSummary } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";
import { useSpendUpdated } from "./useSpendUpdated";

/** The spend summary, fetched on mount and kept live through `spend-updated` events. */
export function useSpendSummary(): AsyncResult<SpendSummary> {
  const backend = useBackend();
  const load = useCallback(() => backend.spendSummary(), [backend]);
  const result = useAsync(load);
  useSpendUpdated(result.setData);
  return result;
}

import { useCallback } from "react";
import { useBackend, type SpendPeriod, type TopSpend } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";
import { useSpendUpdated } from "./useSpendUpdated";

/**
 * The top spenders of `period`: fetched again (showing the loading state) when the period
 * changes, and refreshed in place on every `spend-updated` event. Late answers are dropped.
 */
export function useTopSpend(period: SpendPeriod): AsyncResult<TopSpend> {
  const backend = useBackend();
  const load = useCallback(() => backend.topSpend(period), [backend, period]);
  const result = useAsync(load);
  useSpendUpdated(result.refresh);
  return result;
}

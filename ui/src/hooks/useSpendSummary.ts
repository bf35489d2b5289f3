import { useCallback, useEffect } from "react";
import { useBackend, type SpendSummary } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";

/** The spend summary, fetched on mount and kept live through `spend-updated` events. */
export function useSpendSummary(): AsyncResult<SpendSummary> {
  const backend = useBackend();
  const load = useCallback(() => backend.spendSummary(), [backend]);
  const result = useAsync(load);
  const { setData } = result;

  useEffect(() => {
    let disposed = false;
    let unsubscribe: (() => void) | undefined;
    backend.onSpendUpdated((summary) => {
      if (!disposed) setData(summary);
    }).then(
      (stop) => {
        if (disposed) stop();
        else unsubscribe = stop;
      },
      (error: unknown) => console.warn("Live spend updates unavailable:", error),
    );
    return () => {
      disposed = true;
      unsubscribe?.();
    };
  }, [backend, setData]);

  return result;
}

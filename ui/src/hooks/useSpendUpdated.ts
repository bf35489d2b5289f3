import { useEffect } from "react";
import { useBackend, type SpendSummary } from "../backend";

/**
 * Calls `listener` on every `spend-updated` event while the component is mounted. Pass a stable
 * function (a state setter or a `useCallback`): a new one subscribes again.
 */
export function useSpendUpdated(listener: (summary: SpendSummary) => void): void {
  const backend = useBackend();

  useEffect(() => {
    let disposed = false;
    let unsubscribe: (() => void) | undefined;
    backend.onSpendUpdated((summary) => {
      if (!disposed) listener(summary);
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
  }, [backend, listener]);
}

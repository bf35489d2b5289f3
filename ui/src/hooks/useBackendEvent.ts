import { useEffect } from "react";
import { useBackend, type Backend, type Unsubscribe } from "../backend";

/** Subscribes `listener` to one backend event, e.g. `(backend, cb) => backend.onSpendUpdated(cb)`. */
export type Subscribe<T> = (backend: Backend, listener: (payload: T) => void) => Promise<Unsubscribe>;

/**
 * Calls `listener` on every event `subscribe` delivers while the component is mounted. Pass a
 * module-level `subscribe` and a stable `listener` (a state setter or a `useCallback`): a new
 * one subscribes again. `what` names the feed in the warning logged when subscribing fails.
 */
export function useBackendEvent<T>(subscribe: Subscribe<T>, listener: (payload: T) => void, what: string): void {
  const backend = useBackend();

  useEffect(() => {
    let disposed = false;
    let unsubscribe: (() => void) | undefined;
    subscribe(backend, (payload) => {
      if (!disposed) listener(payload);
    }).then(
      (stop) => {
        if (disposed) stop();
        else unsubscribe = stop;
      },
      (error: unknown) => console.warn(`${what} unavailable:`, error),
    );
    return () => {
      disposed = true;
      unsubscribe?.();
    };
  }, [backend, subscribe, listener, what]);
}

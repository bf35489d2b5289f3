import { useCallback, useState } from "react";
import { toBackendError, type BackendError } from "../backend";

/** What {@link useAction} returns. */
export interface ActionState<A extends unknown[], T> {
  /** Runs the action; resolves with its result, or with undefined when it failed (see `error`). */
  run: (...args: A) => Promise<T | undefined>;
  /** Whether a run is in flight. */
  running: boolean;
  /** Why the last run failed; cleared when the next one starts. */
  error: BackendError | null;
  /** Forgets the last error. */
  clearError: () => void;
}

/** Tracks a user-triggered backend call (a button): whether it runs and why it last failed. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): ActionState<A, T> {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);

  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setRunning(true);
      setError(null);
      try {
        return await action(...args);
      } catch (e) {
        setError(toBackendError(e));
        return undefined;
      } finally {
        setRunning(false);
      }
    },
    [action],
  );

  const clearError = useCallback(() => setError(null), []);
  return { run, running, error, clearError };
}

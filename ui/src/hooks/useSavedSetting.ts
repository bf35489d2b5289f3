import { useCallback, useRef, useState } from "react";
import { toBackendError, type BackendError } from "../backend";
import { useAsync, type AsyncState } from "./useAsync";

/** What {@link useSavedSetting} returns. */
export interface SavedSetting<T> {
  /** The loaded value (loading / ready / error), as last confirmed by the backend. */
  state: AsyncState<T>;
  /** What to show: the value being saved, else the confirmed one; undefined until loaded. */
  value: T | undefined;
  /** Why the last change was refused (cleared by the next change). */
  error: BackendError | null;
  /** Shows `next` at once and saves it; on failure shows the confirmed value again and sets `error`. */
  set: (next: T) => void;
  /** Loads the value again. */
  reload: () => void;
}

/**
 * A backend-persisted setting with optimistic updates. Saves run one after another in the
 * order the user made them (so the backend ends with the last choice), and only the latest
 * change decides what is shown and whether an error appears.
 */
export function useSavedSetting<T>(load: () => Promise<T>, save: (next: T) => Promise<T>): SavedSetting<T> {
  const { state, reload, setData } = useAsync(load);
  const [pending, setPending] = useState<{ value: T } | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const latest = useRef(0);

  const set = useCallback(
    (next: T) => {
      const id = ++latest.current;
      setError(null);
      setPending({ value: next });
      const run = queue.current.then(() => save(next));
      queue.current = run.catch(() => undefined);
      run.then(
        (saved) => {
          setData(saved);
          if (id === latest.current) setPending(null);
        },
        (e: unknown) => {
          if (id !== latest.current) return;
          setPending(null);
          setError(toBackendError(e));
        },
      );
    },
    [save, setData],
  );

  const value = pending ? pending.value : state.status === "ready" ? state.data : undefined;
  return { state, value, error, set, reload };
}

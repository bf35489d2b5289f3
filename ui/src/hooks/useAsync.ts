import { useCallback, useEffect, useRef, useState } from "react";
import { toBackendError, type BackendError } from "../backend";

/** State of an async load. */
export type AsyncState<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "error"; error: BackendError };

/** What {@link useAsync} returns. */
export interface AsyncResult<T> {
  state: AsyncState<T>;
  /** Shows the loading state again and re-runs the load (e.g. a Retry button). */
  reload: () => void;
  /** Replaces the data (from a live event or a save's answer); a load still in flight is dropped. */
  setData: (data: T) => void;
}

/**
 * Runs `load` on mount and whenever it changes (pass a stable, `useCallback`-ed function) and
 * tracks loading / ready / error. Only the latest load may land: answers arriving after
 * unmount, after a newer load started, or after `setData` are ignored.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncResult<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    let mounted = true;
    const id = ++latest.current;
    const settle = (next: AsyncState<T>) => {
      if (mounted && id === latest.current) setState(next);
    };
    load().then(
      (data) => settle({ status: "ready", data }),
      (error: unknown) => settle({ status: "error", error: toBackendError(error) }),
    );
    return () => {
      mounted = false;
    };
  }, [load, generation]);

  const reload = useCallback(() => {
    setState({ status: "loading" });
    setGeneration((g) => g + 1);
  }, []);

  const setData = useCallback((data: T) => {
    latest.current++;
    setState({ status: "ready", data });
  }, []);

  return { state, reload, setData };
}

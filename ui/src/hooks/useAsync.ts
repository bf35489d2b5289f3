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
  /** Re-runs the load while still showing the current state (e.g. after a live event). */
  refresh: () => void;
  /** Replaces the data (from a live event or a save's answer); a load still in flight is dropped. */
  setData: (data: T) => void;
}

const LOADING = { status: "loading" } as const;

/**
 * Runs `load` on mount and whenever it changes (pass a stable, `useCallback`-ed function) and
 * tracks loading / ready / error. A new `load` shows the loading state at once, never the
 * previous load's data. Only the latest load may land: answers arriving after unmount, after a
 * newer load started, or after `setData` are ignored.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncResult<T> {
  // The state is kept with the load it belongs to, so a state from a previous `load` reads as loading.
  const [current, setCurrent] = useState<{ load: () => Promise<T>; state: AsyncState<T> }>({ load, state: LOADING });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    let mounted = true;
    const id = ++latest.current;
    const settle = (state: AsyncState<T>) => {
      if (mounted && id === latest.current) setCurrent({ load, state });
    };
    load().then(
      (data) => settle({ status: "ready", data }),
      (error: unknown) => settle({ status: "error", error: toBackendError(error) }),
    );
    return () => {
      mounted = false;
    };
  }, [load, generation]);

  const refresh = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);

  const reload = useCallback(() => {
    setCurrent({ load, state: LOADING });
    refresh();
  }, [load, refresh]);

  const setData = useCallback(
    (data: T) => {
      latest.current++;
      setCurrent({ load, state: { status: "ready", data } });
    },
    [load],
  );

  const state = current.load === load ? current.state : LOADING;
  return { state, reload, refresh, setData };
}

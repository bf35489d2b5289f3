import { useCallback, useEffect, useRef, useState } from "react";
import { toBackendError, useBackend, type Timeline } from "../../backend";
import type { AsyncState } from "../../hooks/useAsync";

/** Entries the first read brings: more than a window shows, little enough to arrive at once. */
export const FIRST_ENTRIES = 200;

/** Runs `f` after the next frame is painted. */
function afterPaint(f: () => void) {
  requestAnimationFrame(() => setTimeout(f, 0));
}

/** What {@link useTimeline} returns. */
export interface TimelineReads {
  /** Ready with the first entries while the rest is read (`entries.length < totalEntries`). */
  state: AsyncState<Timeline>;
  /** Shows the loading state and reads it again from the start (a Retry button). */
  reload: () => void;
  /** Reads it whole again while showing the current one (live updates). */
  refresh: () => void;
}

/**
 * A session's timeline, in two reads: its first {@link FIRST_ENTRIES} entries (shown at once:
 * a 25,000-entry session's whole timeline is tens of megabytes to bring through IPC), then,
 * when it has more, all of it. Only the latest read lands (a newer one, another session or an
 * unmount drop the others).
 */
export function useTimeline(sessionKey: string): TimelineReads {
  const backend = useBackend();
  const [current, setCurrent] = useState<{ key: string; state: AsyncState<Timeline> }>({ key: sessionKey, state: { status: "loading" } });
  const latest = useRef(0);
  const [start, setStart] = useState(0);

  /** Reads it whole; it lands while `lands()` holds. */
  const whole = useCallback(
    (lands: () => boolean) =>
      backend.sessionTimeline(sessionKey).then(
        (data) => lands() && setCurrent({ key: sessionKey, state: { status: "ready", data } }),
        (error: unknown) => lands() && setCurrent({ key: sessionKey, state: { status: "error", error: toBackendError(error) } }),
      ),
    [backend, sessionKey],
  );

  useEffect(() => {
    let cancelled = false;
    const id = ++latest.current;
    const lands = () => !cancelled && id === latest.current;
    backend.sessionTimelineStart(sessionKey, FIRST_ENTRIES).then(
      (data) => {
        if (!lands()) return;
        setCurrent({ key: sessionKey, state: { status: "ready", data } });
        // The rest once the first entries are on screen, so they paint before tens of
        // megabytes are brought through IPC and parsed on the same thread.
        if (data.entries.length < data.totalEntries) afterPaint(() => lands() && void whole(lands));
      },
      (error: unknown) => lands() && setCurrent({ key: sessionKey, state: { status: "error", error: toBackendError(error) } }),
    );
    return () => {
      cancelled = true;
    };
  }, [backend, sessionKey, whole, start]);

  const refresh = useCallback(() => {
    const id = ++latest.current;
    void whole(() => id === latest.current);
  }, [whole]);
  const reload = useCallback(() => {
    setCurrent({ key: sessionKey, state: { status: "loading" } });
    setStart((n) => n + 1);
  }, [sessionKey]);
  // A state of another session reads as loading (never the previous session's entries).
  const state: AsyncState<Timeline> = current.key === sessionKey ? current.state : { status: "loading" };
  return { state, reload, refresh };
}

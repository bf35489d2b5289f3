import { useCallback, useEffect, useRef, useState } from "react";
import { toBackendError, useBackend, type Timeline } from "../../backend";
import type { AsyncState } from "../../hooks/useAsync";

/** Entries the first read brings: more than a window shows, little enough to arrive at once. */
export const FIRST_ENTRIES = 200;

/** Whether `timeline` holds only its first entries (the rest is being read). */
export function isPartial(timeline: Timeline): boolean {
  return timeline.totalEntries === null || timeline.entries.length < timeline.totalEntries;
}

/** Entries at the end of a timeline read again on a refresh: tool results and costs may still land on them. */
export const RECHECKED_ENTRIES = 200;

/** `known` with `read` (an answer of {@link Backend.sessionTimelineSince}) laid over it from `read.offset` on. */
export function laidOver(known: Timeline, read: Timeline): Timeline {
  if (read.offset === 0) return read;
  return { ...read, entries: known.entries.slice(0, read.offset).concat(read.entries), offset: 0 };
}

/** Runs `f` after the next frame is painted. */
function afterPaint(f: () => void) {
  requestAnimationFrame(() => setTimeout(f, 0));
}

/** What {@link useTimeline} returns. */
export interface TimelineReads {
  /** Ready with the first entries while the rest is read ({@link isPartial}). */
  state: AsyncState<Timeline>;
  /** Shows the loading state and reads it again from the start (a Retry button). */
  reload: () => void;
  /** Reads it again while showing the current one (live updates): only its last entries and what is new once it is whole. */
  refresh: () => void;
}

/**
 * A session's timeline, in two reads: its first {@link FIRST_ENTRIES} entries (read from the
 * transcripts' heads and shown at once: a 25,000-entry session's whole timeline is tens of
 * megabytes to parse and bring through IPC), then,
 * when it has more, all of it. Refreshes of a growing session read only its end. Only the latest
 * read lands (a newer one, another session or an unmount drop the others).
 */
export function useTimeline(sessionKey: string): TimelineReads {
  const backend = useBackend();
  const [current, setCurrent] = useState<{ key: string; state: AsyncState<Timeline> }>({ key: sessionKey, state: { status: "loading" } });
  const latest = useRef(0);
  const [start, setStart] = useState(0);

  /** Shows what `read` brings (or its error) if `lands()` still holds then. */
  const show = useCallback(
    (read: Promise<Timeline>, lands: () => boolean) =>
      read.then(
        (data) => lands() && setCurrent({ key: sessionKey, state: { status: "ready", data } }),
        (error: unknown) => lands() && setCurrent({ key: sessionKey, state: { status: "error", error: toBackendError(error) } }),
      ),
    [sessionKey],
  );
  /** Reads it whole; it lands while `lands()` holds. */
  const whole = useCallback((lands: () => boolean) => show(backend.sessionTimeline(sessionKey), lands), [backend, sessionKey, show]);

  useEffect(() => {
    let cancelled = false;
    const id = ++latest.current;
    const lands = () => !cancelled && id === latest.current;
    const first = backend.sessionTimelineStart(sessionKey, FIRST_ENTRIES).then((data) => {
      // The rest once the first entries are on screen, so they paint before tens of
      // megabytes are brought through IPC and parsed on the same thread.
      if (isPartial(data)) afterPaint(() => lands() && void whole(lands));
      return data;
    });
    void show(first, lands);
    return () => {
      cancelled = true;
    };
  }, [backend, sessionKey, whole, show, start]);

  // The timeline on screen, complete: a refresh asks only for its end.
  const shown = useRef<Timeline | null>(null);
  useEffect(() => {
    const ready = current.key === sessionKey && current.state.status === "ready" ? current.state.data : null;
    shown.current = ready && !isPartial(ready) ? ready : null;
  }, [current, sessionKey]);

  const refresh = useCallback(() => {
    const id = ++latest.current;
    const lands = () => id === latest.current;
    const known = shown.current;
    if (!known) {
      void whole(lands);
      return;
    }
    const from = Math.max(0, known.entries.length - RECHECKED_ENTRIES);
    const afterId = from > 0 ? known.entries[from - 1].id : null;
    void show(
      backend.sessionTimelineSince(sessionKey, from, afterId).then((data) => laidOver(known, data)),
      lands,
    );
  }, [backend, sessionKey, whole, show]);
  const reload = useCallback(() => {
    setCurrent({ key: sessionKey, state: { status: "loading" } });
    setStart((n) => n + 1);
  }, [sessionKey]);
  // A state of another session reads as loading (never the previous session's entries).
  const state: AsyncState<Timeline> = current.key === sessionKey ? current.state : { status: "loading" };
  return { state, reload, refresh };
}

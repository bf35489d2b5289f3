import { useCallback, useEffect, useRef, useState } from "react";
import { toBackendError, useBackend, type BackendError, type SessionPage, type SessionQuery, type SessionRow } from "../../backend";
import { useBackendEvent, type Subscribe } from "../../hooks/useBackendEvent";

/** Rows fetched per page. */
export const PAGE_SIZE = 200;

/** The list as loaded so far. */
export interface SessionListState {
  /** `loading` until the first page lands (and again when the filters change). */
  status: "loading" | "ready" | "error";
  rows: SessionRow[];
  /** Sessions matching the filters (every page). */
  total: number;
  /** What the filters can choose from. */
  choices: Pick<SessionPage, "agents" | "models" | "channels">;
  error: BackendError | null;
  /** A next page is on its way. */
  loadingMore: boolean;
}

const EMPTY: SessionListState = {
  status: "loading",
  rows: [],
  total: 0,
  choices: { agents: [], models: [], channels: [] },
  error: null,
  loadingMore: false,
};

const onSpend: Subscribe<unknown> = (backend, cb) => backend.onSpendUpdated(cb);
const onActivity: Subscribe<unknown> = (backend, cb) => backend.onGatewayActivity(cb);
const onSessions: Subscribe<unknown> = (backend, cb) => backend.onSessionsChanged(cb);

/**
 * The sessions matching `query`, a page at a time (`loadMore` fetches the next), kept live: new
 * spend, gateway activity or transcript entries re-read what is loaded (at most once a second). The state is kept
 * with the query it answers, so a new query shows the loading state at once.
 */
export function useSessionList(query: SessionQuery) {
  const backend = useBackend();
  const [held, setHeld] = useState<{ query: SessionQuery; list: SessionListState }>({ query, list: EMPTY });
  const list = held.query === query ? held.list : { ...EMPTY, choices: held.list.choices };
  const latest = useRef(list);
  useEffect(() => {
    latest.current = list;
  });
  const generation = useRef(0);

  const fetchRange = useCallback(
    (offset: number, limit: number, replace: boolean) => {
      const id = ++generation.current;
      const update = (change: (now: SessionListState) => SessionListState) =>
        setHeld((h) => ({ query, list: change(h.query === query ? h.list : { ...EMPTY, choices: h.list.choices }) }));
      backend.sessions({ ...query, offset, limit }).then(
        (page) => {
          if (id !== generation.current) return;
          update((now) => ({
            status: "ready",
            rows: replace ? page.rows : [...now.rows, ...page.rows],
            total: page.total,
            choices: page,
            error: null,
            loadingMore: false,
          }));
        },
        (e: unknown) => {
          if (id !== generation.current) return;
          // A failed refresh or next page keeps what is shown; a failed first page is an error.
          update((now) => ({ ...now, status: now.status === "ready" ? "ready" : "error", error: toBackendError(e), loadingMore: false }));
        },
      );
    },
    [backend, query],
  );

  useEffect(() => {
    fetchRange(0, PAGE_SIZE, true);
  }, [fetchRange]);

  const loadMore = useCallback(() => {
    const now = latest.current;
    if (now.loadingMore || now.status !== "ready" || now.rows.length >= now.total) return;
    latest.current = { ...now, loadingMore: true };
    setHeld((h) => ({ ...h, list: { ...h.list, loadingMore: true } }));
    fetchRange(now.rows.length, PAGE_SIZE, false);
  }, [fetchRange]);

  const retry = useCallback(() => {
    setHeld((h) => ({ query, list: { ...EMPTY, choices: h.list.choices } }));
    fetchRange(0, PAGE_SIZE, true);
  }, [fetchRange, query]);

  // Live: re-read what is shown, at most once a second.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      fetchRange(0, Math.min(500, Math.max(PAGE_SIZE, latest.current.rows.length)), true);
    }, 1_000);
  }, [fetchRange]);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  useBackendEvent(onSpend, refresh, "Live spend");
  useBackendEvent(onActivity, refresh, "Live gateway activity");
  useBackendEvent(onSessions, refresh, "Live transcripts");

  return { state: list, loadMore, retry };
}

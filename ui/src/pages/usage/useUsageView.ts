import { useCallback, useEffect, useRef } from "react";
import { useBackend, type UsageQuery, type UsageView } from "../../backend";
import { useAsync, type AsyncResult } from "../../hooks/useAsync";
import { useSpendUpdated } from "../../hooks/useSpendUpdated";

/** At most one live refresh in this long: a burst of calls redraws once, not per call. */
export const LIVE_REFRESH_MS = 2000;

/**
 * The usage view for `query`, loaded again when it changes and refreshed (keeping what is shown)
 * when spend changes, at most every {@link LIVE_REFRESH_MS}.
 */
export function useUsageView(query: UsageQuery): AsyncResult<UsageView> {
  const backend = useBackend();
  const text = JSON.stringify(query);
  // The query as a stable value: a new object with the same settings loads nothing again.
  const load = useCallback(() => backend.usage(JSON.parse(text) as UsageQuery), [backend, text]);
  const view = useAsync(load);
  const { refresh } = view;
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onSpend = useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + LIVE_REFRESH_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      refresh();
    }, wait);
  }, [refresh]);
  useSpendUpdated(onSpend);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return view;
}

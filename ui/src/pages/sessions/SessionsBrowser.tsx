import { useMemo, useState } from "react";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { formatCount } from "../../format/number";
import { queryOf, SessionFilters, type SessionFilter } from "./SessionFilters";
import { SessionTable } from "./SessionTable";
import { useSessionList } from "./useSessionList";

/** Props of {@link SessionsBrowser}. */
export interface SessionsBrowserProps {
  onOpen: (key: string) => void;
}

/** Filters it starts with: every session, latest activity first. */
const ALL: SessionFilter = { sort: "activity" };

/** Every session of every agent: filters, search, and the (virtualized) list; a row opens the session. */
export function SessionsBrowser({ onOpen }: SessionsBrowserProps) {
  const [filter, setFilter] = useState<SessionFilter>(ALL);
  const query = useMemo(() => queryOf(filter), [filter]);
  const { state, loadMore, retry } = useSessionList(query);
  const [now] = useState(() => Date.now());
  const filtered = JSON.stringify(filter) !== JSON.stringify(ALL);
  return (
    <Card
      title="Sessions"
      description="Every session of every agent — live from the gateway, and those only the ledger remembers (reset or deleted)."
      testId="sessions"
      actions={state.status === "ready" && <span className="card-count" data-testid="session-count">{formatCount(state.total)} {state.total === 1 ? "session" : "sessions"}</span>}
    >
      <SessionFilters filter={filter} choices={state.choices} onChange={setFilter} />
      {state.status === "loading" && <SkeletonLines widths={["70%", "55%", "62%"]} />}
      {state.status === "error" && state.error && <ErrorPanel compact error={state.error} onRetry={retry} testId="sessions-error" />}
      {state.status === "ready" && state.total === 0 && (
        <p className="empty-note" data-testid="sessions-empty">
          {filtered ? (
            <>
              No session matches these filters.{" "}
              <button type="button" className="link-button" onClick={() => setFilter(ALL)} data-testid="clear-filters">
                Clear filters
              </button>
            </>
          ) : (
            "No sessions yet. They appear here as soon as an agent runs, with what each one costs."
          )}
        </p>
      )}
      {state.status === "ready" && state.total > 0 && (
        <SessionTable rows={state.rows} total={state.total} onOpen={onOpen} onNearEnd={loadMore} nowMs={now} />
      )}
    </Card>
  );
}

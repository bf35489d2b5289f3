import type { SpendSummary } from "../../backend";
import { Callout } from "../../components/Callout";
import { ErrorPanel } from "../../components/ErrorPanel";
import { StatCard } from "../../components/StatCard";
import type { AsyncState } from "../../hooks/useAsync";
import { formatUsd } from "../../format/money";
import { formatCount, plural } from "../../format/number";

/** Today / This week / This month spend cards, with their loading and error states. */
export function SpendCards({ state, onRetry }: { state: AsyncState<SpendSummary>; onRetry: () => void }) {
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={onRetry} />;
  const summary = state.status === "ready" ? state.data : undefined;
  const loading = summary === undefined;
  return (
    <>
      <div className="stat-grid">
        <StatCard
          emphasis
          label="Today"
          loading={loading}
          value={summary && formatUsd(summary.todayUsd)}
          valueTestId="spend-today"
          footnote={summary && <span data-testid="today-calls">{plural(summary.todayCalls, "model call")}</span>}
        />
        <StatCard
          label="This week"
          loading={loading}
          value={summary && formatUsd(summary.weekUsd)}
          valueTestId="spend-week"
          footnote="Calendar week to date"
        />
        <StatCard
          label="This month"
          loading={loading}
          value={summary && formatUsd(summary.monthUsd)}
          valueTestId="spend-month"
          footnote="Calendar month to date"
        />
      </div>
      {summary && summary.unpricedTokensToday > 0 && (
        <Callout tone="warn" testId="unpriced-warning">
          <strong>{formatCount(summary.unpricedTokensToday)} tokens</strong> used today have no known
          price, so they are not counted in these totals.
        </Callout>
      )}
    </>
  );
}

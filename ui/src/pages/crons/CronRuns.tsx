import { useCallback, useState } from "react";
import { useBackend } from "../../backend";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { formatCount, plural } from "../../format/number";
import { formatDuration, formatWhen } from "../../format/time";
import { useAsync } from "../../hooks/useAsync";

/** A job's latest runs: when, how it ended, how long, and what its calls cost. */
export function CronRuns({ jobId }: { jobId: string }) {
  const backend = useBackend();
  const { state, reload } = useAsync(useCallback(() => backend.cronRuns(jobId), [backend, jobId]));
  const [now] = useState(() => Date.now());
  if (state.status === "loading") return <SkeletonLines widths={["60%"]} />;
  if (state.status === "error") return <ErrorPanel compact error={state.error} onRetry={reload} testId="cron-runs-error" />;
  if (state.data.length === 0) return <p data-testid="cron-runs-empty">No runs yet.</p>;
  return (
    <ul className="cron-runs" aria-label="Runs" data-testid="cron-runs">
      {state.data.map((run, i) => (
        <li key={`${run.runAtMs ?? i}-${i}`} className="list-row" data-testid="cron-run">
          <div className="list-row-main">
            <div className="list-row-head">
              <span>{run.runAtMs ? formatWhen(run.runAtMs, now) : "—"}</span>
              {run.status === "ok" ? <StatusBadge status="ok" label="OK" /> : <StatusBadge status="error" label={run.status ?? "?"} />}
            </div>
            <ul className="list-row-meta">
              {run.durationMs !== null && <li>{formatDuration(Math.max(1, Math.round(run.durationMs / 1000)))}</li>}
              <li>{plural(run.calls, "call")}</li>
              <li>{formatCount(run.tokens)} tokens</li>
              <li data-testid="cron-run-cost">{formatUsd(run.costUsd)}</li>
              {run.summary && <li>{run.summary}</li>}
            </ul>
          </div>
        </li>
      ))}
    </ul>
  );
}

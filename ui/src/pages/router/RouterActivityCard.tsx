import { useCallback, useState } from "react";
import { useBackend, type KeyView, type RoutedCallView, type RoutedSpend } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SegmentedControl } from "../../components/SegmentedControl";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { formatCount, plural } from "../../format/number";
import { handledPhrases } from "../../format/router";
import { formatWhen } from "../../format/time";
import { useAsync } from "../../hooks/useAsync";
import { useBackendEvent, type Subscribe } from "../../hooks/useBackendEvent";

const subscribe: Subscribe<void> = (backend, listener) => backend.onRouterActivityChanged(listener);

const PERIODS = [
  { value: "today", label: "Today" },
  { value: "month", label: "This month" },
] as const;

/** A key's name by its id, else `key N` (a revoked key is still named). */
function keyName(keys: readonly KeyView[], id: number | null): string {
  if (id === null) return "no key";
  return keys.find((k) => k.id === id)?.name ?? `key ${id}`;
}

/**
 * What a call asked for: `provider/model`, the model alone for a call the router refused before
 * choosing a provider, or that no model was read (a body it refused unread).
 */
function callTarget(call: RoutedCallView): string {
  if (call.provider) return `${call.provider}/${call.model}`;
  return call.model || "no model read";
}

/**
 * What went through the router: spend per provider and key (today or this month) and the latest
 * calls of the last day with their outcome, tokens, cost, HTTP status, route and timings (the
 * upstream's and the router's own). OpenClaw's calls count once. Live: read again each time the
 * router stores calls or refusals (at most about once a second), and on Refresh.
 */
export function RouterActivityCard() {
  const backend = useBackend();
  const load = useCallback(() => Promise.all([backend.routerActivity(), backend.routerKeys()]), [backend]);
  const { state, reload, refresh } = useAsync(load);
  useBackendEvent(subscribe, refresh, "Live router activity");
  const [period, setPeriod] = useState<(typeof PERIODS)[number]["value"]>("today");
  const [now] = useState(() => Date.now());
  const ready = state.status === "ready" ? state.data : undefined;
  const spend: RoutedSpend[] = ready ? ready[0][period] : [];
  return (
    <Card
      title="Activity"
      description="Spend through the router per provider and key, and its latest calls."
      testId="router-activity"
      actions={
        <Button variant="ghost" icon="refresh" onClick={refresh} data-testid="router-activity-refresh">
          Refresh
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["55%", "70%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="router-activity-error" />}
      {ready && (
        <>
          <SegmentedControl label="Period" options={PERIODS} value={period} onChange={setPeriod} testIdPrefix="router-period" />
          {spend.length === 0 ? (
            <p data-testid="router-spend-empty">No calls through the router {period === "today" ? "today" : "this month"}.</p>
          ) : (
            <ul aria-label="Spend per provider and key" data-testid="router-spend">
              {spend.map((row) => (
                <li key={`${row.provider}/${row.keyId ?? "-"}`} className="list-row" data-testid="router-spend-row">
                  <div className="list-row-main">
                    <div className="list-row-head">
                      <span className="list-row-name">{row.provider}</span>
                      <span>{keyName(ready[1], row.keyId)}</span>
                      <span className="num">{formatUsd(row.costUsd)}</span>
                    </div>
                    <ul className="list-row-meta">
                      <li>{plural(row.calls, "call")}</li>
                      <li>{formatCount(row.tokens)} tokens</li>
                    </ul>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <h3 className="card-subtitle">Latest calls</h3>
          {ready[0].recent.length === 0 ? (
            <p data-testid="router-recent-empty">No calls in the last 24 hours.</p>
          ) : (
            <ul aria-label="Latest calls" data-testid="router-recent">
              {ready[0].recent.map((call, i) => (
                <li key={`${call.tsMs}-${i}`} className="list-row" data-testid="router-call">
                  <div className="list-row-main">
                    <div className="list-row-head">
                      <span>{formatWhen(call.tsMs, now)}</span>
                      <span className="mono">{callTarget(call)}</span>
                      {call.outcome === "ok" && <StatusBadge status="ok" label="OK" />}
                      {call.outcome === "incomplete" && <StatusBadge status="warn" label="Cut off" />}
                      {call.outcome === "failed" && <StatusBadge status="error" label="Failed" />}
                      {call.outcome === "aborted" && <StatusBadge status="error" label="Aborted" />}
                      {call.outcome === "refused" && <StatusBadge status="warn" label="Refused" />}
                    </div>
                    <ul className="list-row-meta">
                      <li>agent {call.agentId}</li>
                      <li>{keyName(ready[1], call.keyId)}</li>
                      {call.outcome !== "refused" && (
                        <>
                          <li>{formatCount(call.tokens)} tokens</li>
                          <li>{formatUsd(call.costUsd)}</li>
                        </>
                      )}
                      {handledPhrases(call).map((phrase) => (
                        <li key={phrase}>{phrase}</li>
                      ))}
                      {call.error && call.error !== `HTTP ${call.status}` && <li>{call.error}</li>}
                    </ul>
                    {call.route && (
                      <p className="list-row-detail mono" data-testid="router-call-route">
                        {call.route}
                      </p>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}

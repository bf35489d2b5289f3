import { useCallback, useState } from "react";
import { useBackend, type RouteThrough } from "../../backend";
import { Button } from "../../components/Button";
import { Callout } from "../../components/Callout";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { useAction } from "../../hooks/useAction";
import { useAsync } from "../../hooks/useAsync";

/** Props of {@link OpenClawRoutingCard}. */
export interface OpenClawRoutingCardProps {
  /** Whether the router runs (attach needs it: OpenClaw's calls would fail otherwise). */
  routerRunning: boolean;
}

/**
 * "Route OpenClaw through Clawtower": which of OpenClaw's providers go through the router, the
 * switch (one change OpenClaw applies or refuses whole; detach puts back exactly what was
 * there), and what the last switch left alone or noticed.
 */
export function OpenClawRoutingCard({ routerRunning }: OpenClawRoutingCardProps) {
  const backend = useBackend();
  const { state, reload } = useAsync(useCallback(() => backend.routerAttachments(), [backend]));
  const [outcome, setOutcome] = useState<RouteThrough | null>(null);
  const attach = useAction(useCallback(() => backend.attachRouter(), [backend]));
  const detach = useAction(useCallback(() => backend.detachRouter(), [backend]));
  const shown = outcome ?? (state.status === "ready" ? state.data : null);
  const attached = shown?.attached ?? [];
  const busy = attach.running || detach.running;
  const error = attach.error ?? detach.error;
  const switchTo = (on: boolean) => {
    const action = on ? attach : detach;
    (on ? detach : attach).clearError();
    void action.run().then((result) => {
      if (result) setOutcome(result);
    });
  };

  return (
    <Card
      title="OpenClaw through the router"
      description="Points each of OpenClaw's model providers at the router: every call of every agent — utility and cron calls included — is metered here and stopped by a budget's hard limit. OpenClaw keeps its own API keys."
      testId="openclaw-routing"
      actions={
        attached.length > 0 ? (
          <Button variant="secondary" onClick={() => switchTo(false)} disabled={busy} data-testid="detach-router">
            {detach.running ? "Putting back…" : "Stop routing"}
          </Button>
        ) : (
          <Button
            variant="primary"
            onClick={() => switchTo(true)}
            disabled={busy || !routerRunning || state.status !== "ready"}
            data-testid="attach-router"
          >
            {attach.running ? "Routing…" : "Route OpenClaw through Clawtower"}
          </Button>
        )
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["55%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="routing-error" />}
      {error && <ErrorPanel compact error={error} testId="routing-action-error" />}
      {state.status === "ready" && attached.length === 0 && (
        <p data-testid="routing-off">
          {routerRunning
            ? "OpenClaw calls its providers directly. Routing changes only each provider's baseUrl (and adds the router's key as a header); Stop routing puts them back exactly."
            : "Start the router first (see above): OpenClaw's calls would fail without it."}
        </p>
      )}
      {attached.length > 0 && (
        <ul className="router-providers" aria-label="Routed providers" data-testid="routed-providers">
          {attached.map((a) => (
            <li key={a.provider} className="list-row" data-testid="routed-provider" data-provider={a.provider}>
              <div className="list-row-main">
                <div className="list-row-head">
                  <span className="list-row-name">{a.provider}</span>
                  {a.confirmed ? (
                    <StatusBadge status="ok" label="Routed" />
                  ) : (
                    <StatusBadge status="warn" label="Unconfirmed" />
                  )}
                </div>
                <ul className="list-row-meta">
                  <li className="mono">{a.upstream}</li>
                  <li>{a.kind === "anthropic" ? "Anthropic" : "OpenAI-compatible"}</li>
                  <li>was {a.originalBaseUrl}</li>
                  <li data-testid="routed-sessions">
                    {a.knowsSessions
                      ? "Budgets on an agent, session or cron job stop each call here"
                      : "Calls are booked to “openclaw” until OpenClaw's transcript names their agent: budgets on one agent, session or cron job pause through the gateway"}
                  </li>
                </ul>
              </div>
            </li>
          ))}
        </ul>
      )}
      {shown && (shown.skipped.length > 0 || shown.notes.length > 0) && (
        <Callout tone="info" testId="routing-notes">
          <ul>
            {shown.skipped.map((s) => (
              <li key={s.provider}>
                {s.provider}: not routed — {s.reason}
              </li>
            ))}
            {shown.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </Callout>
      )}
    </Card>
  );
}

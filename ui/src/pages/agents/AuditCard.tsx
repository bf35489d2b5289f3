import { useState } from "react";
import type { AuditEntry } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { formatWhen } from "../../format/time";
import type { AsyncResult } from "../../hooks/useAsync";

const ACTIONS: Readonly<Record<string, string>> = {
  "agent.create": "Created",
  "agent.edit": "Edited",
  "agent.archive": "Archived",
  "agent.restore": "Restored",
  "agent.purge": "Purged",
};
const ACTORS: Readonly<Record<string, string>> = { app: "the app", cli: "the CLI", api: "the HTTP API" };

/** Who did what to which agent, when, and how it went. */
export function AuditCard({ log }: { log: AsyncResult<AuditEntry[]> }) {
  const { state, reload } = log;
  const [now] = useState(() => Date.now());
  const entries = state.status === "ready" ? state.data : undefined;
  return (
    <Card title="Audit log" description="Every lifecycle action, from the app, the CLI or the HTTP API." testId="audit-log">
      {state.status === "loading" && <SkeletonLines widths={["70%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="audit-error" />}
      {entries?.length === 0 && <p data-testid="audit-empty">Nothing yet.</p>}
      {entries && entries.length > 0 && (
        <ul aria-label="Audit log" data-testid="audit-list">
          {entries.map((e) => (
            <li key={e.id} className="list-row" data-testid="audit-row">
              <div className="list-row-main">
                <div className="list-row-head">
                  <span className="list-row-name">
                    {ACTIONS[e.action] ?? e.action} <span className="mono">{e.target}</span>
                  </span>
                  {e.result === "ok" ? <StatusBadge status="ok" label="Done" /> : <StatusBadge status="error" label="Failed" />}
                </div>
                <ul className="list-row-meta">
                  <li>{formatWhen(e.tsMs, now)}</li>
                  <li>by {ACTORS[e.actor] ?? e.actor}</li>
                  {e.detail && <li>{e.detail}</li>}
                </ul>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

import { useCallback, useState } from "react";
import { useBackend, type AgentRow, type ArchiveView } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { plural } from "../../format/number";
import { formatWhen } from "../../format/time";
import { useAction } from "../../hooks/useAction";
import type { AsyncResult } from "../../hooks/useAsync";
import { AgentDialog } from "./AgentDialog";
import { ArchiveAgentDialog } from "./ArchiveAgentDialog";

/** Props of {@link AgentsCard}. */
export interface AgentsCardProps {
  agents: AsyncResult<AgentRow[]>;
  /** After a change: what to load again (the archive too, after archiving). */
  onChanged: (archived?: ArchiveView) => void;
}

/** Every agent with its status, model, sessions and spend; New agent, Edit and Archive. */
export function AgentsCard({ agents, onChanged }: AgentsCardProps) {
  const backend = useBackend();
  const { state, reload } = agents;
  const stop = useAction(useCallback((id: string) => backend.abortAgent(id), [backend]));
  const [dialog, setDialog] = useState<{ kind: "new" } | { kind: "edit" | "archive"; agent: AgentRow } | null>(null);
  const [now] = useState(() => Date.now());
  const rows = state.status === "ready" ? state.data : undefined;
  const close = () => setDialog(null);
  return (
    <Card
      title="Agents"
      description="Each agent of the local gateway with what it is doing and what it cost. Archive is recoverable; only purge deletes."
      testId="agents"
      actions={
        <Button variant="ghost" icon="plus" onClick={() => setDialog({ kind: "new" })} data-testid="add-agent">
          New agent
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["60%", "50%", "55%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="agents-error" />}
      {stop.error && <ErrorPanel compact error={stop.error} testId="stop-agent-error" />}
      {rows?.length === 0 && <p data-testid="agents-empty">The gateway has no agents yet: New agent makes one.</p>}
      {rows && rows.length > 0 && (
        <ul aria-label="Agents" data-testid="agent-list">
          {rows.map((agent) => (
            <li key={agent.id} className="list-row" data-testid="agent-row" data-agent={agent.id}>
              <div className="list-row-main">
                <div className="list-row-head">
                  <span className="list-row-name">
                    {agent.emoji ? `${agent.emoji} ` : ""}
                    {agent.name}
                  </span>
                  {agent.name !== agent.id && <span className="mono">{agent.id}</span>}
                  {agent.running ? <StatusBadge status="ok" label="Running" /> : <StatusBadge status="missing" label="Idle" />}
                  {agent.isDefault && <StatusBadge status="ok" label="Default" />}
                </div>
                <ul className="list-row-meta">
                  <li className="mono">{agent.model ?? "default model"}</li>
                  <li>{plural(agent.sessions, "session")}</li>
                  <li>{agent.lastActivityMs ? `active ${formatWhen(agent.lastActivityMs, now)}` : "never active"}</li>
                  <li data-testid="agent-spend">
                    {formatUsd(agent.spendTodayUsd)} today · {formatUsd(agent.spendTotalUsd)} in all
                  </li>
                </ul>
              </div>
              <div className="list-row-actions">
                {agent.running && (
                  <Button
                    variant="ghost"
                    icon="pause"
                    disabled={stop.running}
                    onClick={() => void stop.run(agent.id).then((n) => n !== undefined && onChanged())}
                    data-testid="stop-agent"
                  >
                    Stop its runs
                  </Button>
                )}
                <Button variant="ghost" icon="pencil" onClick={() => setDialog({ kind: "edit", agent })} data-testid="edit-agent">
                  Edit
                </Button>
                <Button variant="ghost" icon="archive" onClick={() => setDialog({ kind: "archive", agent })} data-testid="archive-agent">
                  Archive
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {dialog?.kind === "new" && <AgentDialog onClose={close} onSaved={() => (close(), onChanged())} />}
      {dialog?.kind === "edit" && <AgentDialog agent={dialog.agent} onClose={close} onSaved={() => (close(), onChanged())} />}
      {dialog?.kind === "archive" && (
        <ArchiveAgentDialog agent={dialog.agent} onClose={close} onArchived={(archive) => (close(), onChanged(archive))} />
      )}
    </Card>
  );
}

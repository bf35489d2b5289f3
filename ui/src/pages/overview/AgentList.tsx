import type { AgentFound } from "../../backend";
import { storageLabel } from "../../format/labels";
import { plural } from "../../format/number";
import "./AgentList.css";

/** The OpenClaw agents found on disk, one per line, with their storage and session count. */
export function AgentList({ agents }: { agents: AgentFound[] }) {
  if (agents.length === 0) return <span className="kv-empty">No agents yet</span>;
  return (
    <ul className="agent-list" data-testid="doctor-agents">
      {agents.map((agent) => (
        <li key={agent.id} className="agent-row">
          <span className="agent-id">{agent.id}</span>
          <span className="agent-meta">
            {storageLabel(agent.storage)}
            {agent.sessions !== null && ` · ${plural(agent.sessions, "session")}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

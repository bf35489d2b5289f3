import { useCallback } from "react";
import { useBackend } from "../backend";
import { Page } from "../components/Page";
import { useAsync } from "../hooks/useAsync";
import { routeByName } from "../routes";
import { AgentsCard } from "./agents/AgentsCard";
import { ArchivedCard } from "./agents/ArchivedCard";
import { AuditCard } from "./agents/AuditCard";

const ROUTE = routeByName("agents");

/**
 * Agents: each agent with its live status and spend (New agent, Edit, Archive), the archived
 * ones (Restore, Purge with the typed name) and the audit log of every lifecycle action.
 */
export function AgentsPage() {
  const backend = useBackend();
  const agents = useAsync(useCallback(() => backend.agents(), [backend]));
  const archives = useAsync(useCallback(() => backend.archivedAgents(), [backend]));
  const log = useAsync(useCallback(() => backend.auditLog(), [backend]));
  const changed = () => {
    agents.refresh();
    archives.refresh();
    log.refresh();
  };
  return (
    <Page route={ROUTE}>
      <AgentsCard agents={agents} onChanged={changed} />
      <ArchivedCard archives={archives} onChanged={changed} />
      <AuditCard log={log} />
    </Page>
  );
}

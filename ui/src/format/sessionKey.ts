/**
 * A short, readable name for an OpenClaw session key (`agent:<agentId>:<rest>`), always with its
 * agent (two agents each have a `main`):
 * - `agent:main:main` → "main · main", `agent:research:main` → "research · main"
 * - `agent:main:subagent:7f1c2d9e-…` → "main · sub-agent 7f1c…"
 * - `agent:main:cron:<jobId>:run:<sessionId>` → "main · cron <jobId>"
 * - any other `agent:<agentId>:<rest>` → `<agentId> · <rest>` (e.g. "main · telegram:dm:42")
 * Keys that do not follow that shape are returned unchanged. (Where the ledger's readable name is
 * at hand — labels, parents —, the Sessions page shows it instead.)
 */
export function sessionLabel(key: string): string {
  const [prefix, agentId, ...rest] = key.split(":");
  if (prefix !== "agent" || !agentId || rest.length === 0) return key;
  const [kind, id] = rest;
  const name = kind === "subagent" && id ? `sub-agent ${id.slice(0, 4)}…` : kind === "cron" && id ? `cron ${id}` : rest.join(":");
  return `${agentId} · ${name}`;
}

/**
 * A short, readable name for an OpenClaw session key (`agent:<agentId>:<rest>`):
 * - `agent:main:main` → "main"
 * - `agent:main:subagent:7f1c2d9e-…` → "sub-agent 7f1c…"
 * - `agent:main:cron:<jobId>:run:<sessionId>` → "cron <jobId>"
 * - any other `agent:<agentId>:<rest>` → `<rest>` (e.g. "telegram:dm:42")
 * Keys that do not follow that shape are returned unchanged.
 */
export function sessionLabel(key: string): string {
  const [prefix, agentId, ...rest] = key.split(":");
  if (prefix !== "agent" || !agentId || rest.length === 0) return key;
  const [kind, id] = rest;
  if (kind === "subagent" && id) return `sub-agent ${id.slice(0, 4)}…`;
  if (kind === "cron" && id) return `cron ${id}`;
  return rest.join(":");
}

import type { CheckStatus, SessionKindName, SessionRow, SessionStatus, TimelineEntryKind } from "../backend";

/** How each session state reads, and the badge colour it gets. */
export const SESSION_STATUS: Readonly<Record<SessionStatus, { label: string; badge: CheckStatus }>> = {
  running: { label: "Running", badge: "ok" },
  waiting: { label: "Waiting", badge: "missing" },
  done: { label: "Done", badge: "missing" },
  failed: { label: "Failed", badge: "error" },
  aborted: { label: "Aborted", badge: "warn" },
  archived: { label: "Reset or deleted", badge: "missing" },
  unknown: { label: "No status", badge: "missing" },
};

/** Each session kind, as the filter offers it. */
export const SESSION_KINDS: Readonly<Record<SessionKindName, string>> = {
  main: "Main",
  channel: "Channel",
  subagent: "Sub-agent",
  cron: "Cron run",
  hook: "Hook",
  other: "Other",
};

/** Each timeline entry kind, as its row names it. */
export const ENTRY_KINDS: Readonly<Record<TimelineEntryKind, string>> = {
  user: "User",
  assistant: "Assistant",
  thinking: "Thinking",
  toolCall: "Tool call",
  toolResult: "Tool result",
  modelChange: "Model change",
  thinkingLevelChange: "Thinking level",
  compaction: "Compaction",
  reset: "Reset",
  error: "Error",
  custom: "Custom",
};

/** From a session's first activity to its last, whole seconds (0 when either is unknown). */
export function sessionSeconds(row: Pick<SessionRow, "startedMs" | "lastActivityMs">): number {
  if (row.startedMs === null || row.lastActivityMs === null) return 0;
  return Math.max(0, Math.round((row.lastActivityMs - row.startedMs) / 1000));
}

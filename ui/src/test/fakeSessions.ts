import type { SessionPage, SessionQuery, SessionRow, SessionTree, Timeline, TimelineEntry } from "../backend";

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

function row(over: Partial<SessionRow> & Pick<SessionRow, "key" | "title">): SessionRow {
  return {
    agentId: "main",
    kind: "main",
    status: "done",
    channel: null,
    spawnedBy: null,
    cronJobId: null,
    models: ["anthropic/claude-sonnet-4-5"],
    calls: 3,
    unbilledCalls: 0,
    tokens: 12_400,
    costUsd: 0.42,
    startedMs: T0,
    lastActivityMs: T0 + 60_000,
    children: 0,
    said: null,
    ...over,
  };
}

/** What was said in some sessions of the fake install (searched like the message index). */
const SAID: Readonly<Record<string, string>> = {
  "agent:research:main": "IKAROS proved solar sailing works: 太阳帆 in orbit since 2010.",
};

/** The sessions of the fake install: a main session, a spawner with a running sub-agent, a research agent's main, a channel and a deleted transcript. */
export const SESSION_ROWS: SessionRow[] = [
  row({ key: "agent:main:subagent:7f1c", title: "stub-child", kind: "subagent", status: "running", spawnedBy: "agent:main:spawner", costUsd: 0.05, tokens: 2_000, calls: 1, startedMs: T0 + 30_000, lastActivityMs: T0 + 300_000 }),
  row({ key: "agent:main:spawner", title: "spawner", costUsd: 0.31, children: 1, lastActivityMs: T0 + 200_000 }),
  row({ key: "agent:main:main", title: "main", lastActivityMs: T0 + 120_000 }),
  row({ key: "agent:research:main", agentId: "research", title: "main", costUsd: 1.2, models: ["openai/gpt-5"], lastActivityMs: T0 + 100_000 }),
  row({ key: "agent:main:telegram:direct:42", title: "telegram · direct · 42", kind: "channel", channel: "telegram", status: "waiting", costUsd: 0.02, lastActivityMs: T0 + 90_000 }),
  row({ key: "agent:main:b4352ab1-d5f1-4dbf-baa8-957f2ff61b5a", title: "reset or deleted (b4352ab1)", kind: "other", status: "archived", costUsd: 0.02, lastActivityMs: T0 - 3_600_000 }),
];

function saidIn(key: string, search: string): boolean {
  return SAID[key]?.toLowerCase().includes(search) ?? false;
}

/** The fake `sessions` command: filters, sort by activity, paging. */
export function sessionPage(query: SessionQuery, rows: SessionRow[] = SESSION_ROWS): SessionPage {
  const search = query.search?.trim().toLowerCase();
  const matching = rows
    .filter((r) => !query.agent || r.agentId === query.agent)
    .filter((r) => !query.status || r.status === query.status)
    .filter((r) => !query.kind || r.kind === query.kind)
    .filter((r) => !query.model || r.models.includes(query.model))
    .filter((r) => query.minCostUsd === null || query.minCostUsd === undefined || (r.costUsd ?? 0) >= query.minCostUsd)
    .filter((r) => !search || r.key.toLowerCase().includes(search) || r.title.toLowerCase().includes(search) || saidIn(r.key, search))
    .map((r) => (search && saidIn(r.key, search) ? { ...r, said: SAID[r.key] ?? null } : r))
    .sort((a, b) => (query.sort === "cost" ? (b.costUsd ?? 0) - (a.costUsd ?? 0) : (b.lastActivityMs ?? 0) - (a.lastActivityMs ?? 0)));
  const offset = query.offset ?? 0;
  const limit = query.limit || 100;
  return {
    total: matching.length,
    rows: matching.slice(offset, offset + limit),
    agents: [...new Set(rows.map((r) => r.agentId))].sort(),
    models: [...new Set(rows.flatMap((r) => r.models))].sort(),
    channels: [...new Set(rows.flatMap((r) => (r.channel ? [r.channel] : [])))].sort(),
  };
}

function entry(over: Partial<TimelineEntry> & Pick<TimelineEntry, "id" | "kind">): TimelineEntry {
  return { ts: T0, generation: "gen-1", text: "", fullChars: null, call: null, tool: null, customType: null, runId: "run-1", ...over };
}

const CALL = { model: "anthropic/claude-sonnet-4-5", inputTokens: 1_200, outputTokens: 80, cacheReadTokens: 9_000, cacheWriteTokens: 0, costUsd: 0.0123, stopReason: "toolUse", aborted: false };

/** The spawner's timeline: one entry of every kind, a paired tool call that spawned the sub-agent, a cut result. */
export const SPAWNER_TIMELINE: Timeline = {
  sessionKey: "agent:main:spawner",
  generations: [{ sessionId: "gen-1", started: T0, source: "agent database", archived: null }],
  skipped: 0,
  entries: [
    entry({ id: "mc", kind: "modelChange", text: "anthropic/claude-sonnet-4-5" }),
    entry({ id: "tl", kind: "thinkingLevelChange", text: "medium" }),
    entry({ id: "u1", kind: "user", text: "Please **start** a sub-agent. <script>alert(1)</script> See [docs](https://docs.openclaw.ai)." }),
    entry({ id: "a1", kind: "assistant", text: "Starting one now.", call: CALL, ts: T0 + 1_000 }),
    entry({ id: "a1:thinking:0", kind: "thinking", text: "The user wants a sub-agent; I will spawn one.", ts: T0 + 1_000 }),
    entry({
      id: "a1:tool:c1",
      kind: "toolCall",
      text: '{\n  "task": "reply with one sentence"\n}',
      ts: T0 + 1_000,
      tool: { callId: "c1", name: "sessions_spawn", pairedId: "r1", isError: false, durationMs: 420, childSessionKey: "agent:main:subagent:7f1c" },
    }),
    entry({
      id: "r1",
      kind: "toolResult",
      text: "x".repeat(2_000),
      fullChars: 9_000,
      ts: T0 + 1_420,
      tool: { callId: "c1", name: "sessions_spawn", pairedId: "a1:tool:c1", isError: false, durationMs: 420, childSessionKey: "agent:main:subagent:7f1c" },
    }),
    entry({ id: "a2", kind: "assistant", text: "Done: the sub-agent answered.", call: { ...CALL, costUsd: 0.0101, stopReason: "stop" }, ts: T0 + 2_000 }),
    entry({ id: "e1", kind: "error", text: "429 rate limited", call: { ...CALL, costUsd: null, stopReason: "error", inputTokens: 0, outputTokens: 0, cacheReadTokens: 0 }, ts: T0 + 3_000 }),
    entry({ id: "cp", kind: "compaction", text: "120000 tokens before", ts: T0 + 4_000 }),
    entry({ id: "cu", kind: "custom", customType: "model-snapshot", text: '{\n  "type": "custom"\n}', ts: T0 + 4_000 }),
  ],
  totalEntries: 11,
  offset: 0,
};

/** The whole text of a cut entry. */
export function fullEntry(id: string): TimelineEntry | undefined {
  const found = SPAWNER_TIMELINE.entries.find((e) => e.id === id);
  return found && found.fullChars ? { ...found, text: "x".repeat(found.fullChars), fullChars: null } : found;
}

/** The spawner's tree: the spawner and its sub-agent, which the spawner's announce run reported. */
export const SPAWNER_TREE: SessionTree = {
  focus: "agent:main:spawner",
  nodes: [
    { session: SESSION_ROWS[1], depth: 0, parent: null, rolledUpCostUsd: 0.36, rolledUpTokens: 14_400, descendants: 1, task: null, announce: null },
    { session: SESSION_ROWS[0], depth: 1, parent: "agent:main:spawner", rolledUpCostUsd: 0.05, rolledUpTokens: 2_000, descendants: 0, task: "Reply with the word PONG.",
      announce: { sessionKey: "agent:main:spawner", calls: 1, tokens: 13_258, costUsd: 0.02, endedMs: 1_795_230_511_059 } },
  ],
};

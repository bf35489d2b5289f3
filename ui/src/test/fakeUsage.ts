import { BackendError, type UsageDimension, type UsageQuery, type UsageRow, type UsageTotals, type UsageView } from "../backend";

/** Models the fake price book prices ("what if"). */
export const PRICE_MODELS = ["anthropic/claude-sonnet-4-5", "gpt-4o", "gpt-4o-mini", "openai/gpt-4.1"];

function totals(costUsd: number, tokens: number, calls: number, extra: Partial<UsageTotals> = {}): UsageTotals {
  const cacheRead = Math.round(tokens * 0.6);
  const input = tokens - cacheRead - 100;
  return {
    calls,
    inputTokens: input,
    outputTokens: 100,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    totalTokens: tokens,
    costUsd,
    reportedCostUsd: costUsd,
    unpricedTokens: 0,
    bookCostUsd: costUsd,
    abortedCalls: 0,
    failedCalls: 0,
    ...extra,
  };
}

function row(key: string, t: UsageTotals, more: Partial<UsageRow> = {}): UsageRow {
  return {
    key,
    label: key,
    agentId: null,
    kind: null,
    totals: t,
    cacheHitRatio: t.cacheReadTokens / Math.max(1, t.inputTokens + t.cacheReadTokens),
    cacheSavedUsd: (t.costUsd ?? 0) * 0.4,
    whatIfUsd: null,
    pricedBy: null,
    unpricedReason: null,
    ...more,
  };
}

/** Stacks per dimension: name and share of each period's spend. */
const STACKS: Readonly<Record<UsageDimension, [string, number][]>> = {
  model: [["anthropic/claude-sonnet-4-5", 0.7], ["openai/gpt-4o", 0.3]],
  agent: [["main", 0.8], ["research", 0.2]],
  provider: [["anthropic", 0.7], ["openai", 0.3]],
  channel: [["main sessions", 0.6], ["telegram", 0.4]],
};

/** A plausible usage view for `query`: $1.50 a day over its days (none before 2026-11-01). */
export function usageView(asked: UsageQuery): UsageView {
  const query = { ...asked, granularity: asked.granularity ?? "day", stack: asked.stack ?? "model", whatIf: asked.whatIf ?? null };
  if (query.whatIf && !PRICE_MODELS.includes(query.whatIf))
    throw new BackendError("INVALID_INPUT", `the price book has no price for ${query.whatIf}: pick one of its models`);
  const days = query.days ?? 30;
  const count = query.granularity === "hour" ? 24 : query.granularity === "week" ? Math.ceil(days / 7) : query.granularity === "month" ? 2 : days;
  const perPeriod = (1.5 * days) / count;
  const periods = Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2026, 11, 3 - (count - 1 - i)));
    const key =
      query.granularity === "hour"
        ? `2026-12-03T${String(i).padStart(2, "0")}:00+00:00`
        : query.granularity === "month"
          ? `2026-${i === 0 ? "11" : "12"}`
          : day.toISOString().slice(0, 10);
    return { key, startMs: day.getTime() + (query.granularity === "hour" ? i * 3_600_000 : 0) };
  });
  const series = STACKS[query.stack].map(([name, share]) => ({
    name,
    costUsd: periods.map(() => perPeriod * share),
    tokens: periods.map(() => Math.round(perPeriod * share * 100_000)),
  }));
  const total = 1.5 * days;
  const whatIf = (t: UsageTotals) => (query.whatIf ? (t.costUsd ?? 0) * 0.5 : null);
  const withWhatIf = (r: UsageRow): UsageRow => ({ ...r, whatIfUsd: whatIf(r.totals) });
  const agents = (query.agent ? [query.agent] : ["main", "research"]).map((agent, i) =>
    withWhatIf(row(agent, totals(total * (query.agent ? 1 : i === 0 ? 0.8 : 0.2), 1_000_000, 40))),
  );
  return {
    since: query.days ? "2026-11-04" : null,
    until: query.days ? "2026-12-03" : null,
    timeZone: "UTC",
    granularity: query.granularity,
    stack: query.stack,
    periods,
    series,
    totals: withWhatIf(row("total", totals(total, 2_000_000, 80, { unpricedTokens: 12_000 }))),
    agents,
    models: [
      withWhatIf(row("anthropic/claude-sonnet-4-5", totals(total * 0.7, 1_400_000, 50), { pricedBy: "the bundled LiteLLM price map" })),
      withWhatIf(row("openai/gpt-4o", totals(total * 0.3, 588_000, 28), { pricedBy: "openclaw.json" })),
      withWhatIf(
        row("local/mystery-7b", totals(0, 12_000, 2, { unpricedTokens: 12_000 }), {
          cacheSavedUsd: null,
          unpricedReason: "No price for local/mystery-7b: it is not in the bundled LiteLLM price map, in openclaw.json or in your price overrides.",
        }),
      ),
    ],
    providers: [withWhatIf(row("anthropic", totals(total * 0.7, 1_400_000, 50))), withWhatIf(row("openai", totals(total * 0.3, 600_000, 30)))],
    sessions: [
      withWhatIf(row("agent:main:main", totals(total * 0.6, 1_200_000, 50), { label: "main", agentId: "main", kind: "main", cacheSavedUsd: null })),
      withWhatIf(
        row("agent:main:subagent:7f1", totals(total * 0.3, 600_000, 20), { label: "sub-agent of main", agentId: "main", kind: "subagent", cacheSavedUsd: null }),
      ),
      withWhatIf(
        row("agent:research:cron:nightly:run:1a", totals(total * 0.1, 200_000, 10), {
          label: "cron run of nightly",
          agentId: "research",
          kind: "cron",
          cacheSavedUsd: null,
        }),
      ),
    ],
    sessionCount: 3,
    cronJobs: [withWhatIf(row("nightly", totals(total * 0.1, 200_000, 10), { cacheSavedUsd: null }))],
    whatIf: query.whatIf,
  };
}

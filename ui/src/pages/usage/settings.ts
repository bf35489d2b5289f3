import type { Granularity, UsageDimension } from "../../backend";
import { defaultGranularity, DIMENSIONS, GRANULARITIES, hoursAllowed, USAGE_WINDOWS, type UsageWindow } from "../../format/usage";
import type { UsageMetric } from "./UsageChart";
import { USAGE_TABLES, type UsageTable } from "./UsageTables";

/** What the Usage page shows; kept in its address, so Back and a shared link restore it. */
export interface UsageSettings {
  window: UsageWindow;
  since: string | null;
  until: string | null;
  granularity: Granularity;
  stack: UsageDimension;
  agent: string | null;
  whatIf: string | null;
  metric: UsageMetric;
  table: UsageTable;
}

function oneOf<T extends string>(value: string | null, choices: Readonly<Record<T, string>>, fallback: T): T {
  return value !== null && value in choices ? (value as T) : fallback;
}

/** The settings in `params` (anything unknown falls back to the defaults: the last 30 days by model). */
export function readSettings(params: URLSearchParams): UsageSettings {
  const window = oneOf(params.get("window"), USAGE_WINDOWS, "d30");
  const since = params.get("since");
  const until = params.get("until");
  let granularity = oneOf(params.get("every"), GRANULARITIES, defaultGranularity(window));
  if (granularity === "hour" && !hoursAllowed(window, since, until)) granularity = "day";
  return {
    window,
    since,
    until,
    granularity,
    stack: oneOf(params.get("by"), DIMENSIONS, "model"),
    agent: params.get("agent") || null,
    whatIf: params.get("whatIf") || null,
    metric: params.get("metric") === "tokens" ? "tokens" : "cost",
    table: oneOf(params.get("table"), USAGE_TABLES, "agents"),
  };
}

/** `settings` as address parameters (defaults left out). */
export function writeSettings(settings: UsageSettings): Record<string, string> {
  const out: Record<string, string> = { window: settings.window };
  if (settings.window === "custom") {
    if (settings.since) out.since = settings.since;
    if (settings.until) out.until = settings.until;
  }
  if (settings.granularity !== defaultGranularity(settings.window)) out.every = settings.granularity;
  if (settings.stack !== "model") out.by = settings.stack;
  if (settings.agent) out.agent = settings.agent;
  if (settings.whatIf) out.whatIf = settings.whatIf;
  if (settings.metric !== "cost") out.metric = settings.metric;
  if (settings.table !== "agents") out.table = settings.table;
  return out;
}

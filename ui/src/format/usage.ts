import type { Granularity, UsageDimension, UsageQuery } from "../backend";

/** The windows the Usage page offers; `custom` takes two dates. */
export const USAGE_WINDOWS = { today: "Today", d7: "7 days", d30: "30 days", d90: "90 days", all: "All time", custom: "Custom" } as const;
/** A window of the Usage page. */
export type UsageWindow = keyof typeof USAGE_WINDOWS;

/** The granularities, as the page names them. */
export const GRANULARITIES: Readonly<Record<Granularity, string>> = { hour: "Hour", day: "Day", week: "Week", month: "Month" };

/** What the series can be stacked by. */
export const DIMENSIONS: Readonly<Record<UsageDimension, string>> = { model: "Model", agent: "Agent", provider: "Provider", channel: "Channel" };

/** Days in each fixed window (`null`: all time). */
const WINDOW_DAYS: Readonly<Record<Exclude<UsageWindow, "custom">, number | null>> = { today: 1, d7: 7, d30: 30, d90: 90, all: null };

/** The granularity a window opens with: hours for today, days up to a month, then weeks, months. */
export function defaultGranularity(window: UsageWindow): Granularity {
  return ({ today: "hour", d7: "day", d30: "day", d90: "week", all: "month", custom: "day" } as const)[window];
}

/** Whether hours make a readable chart for this window (a week at most). */
export function hoursAllowed(window: UsageWindow, since?: string | null, until?: string | null): boolean {
  if (window === "today" || window === "d7") return true;
  if (window !== "custom" || !since || !until) return false;
  return (Date.parse(until) - Date.parse(since)) / 86_400_000 < 7;
}

/** The view's query for the page's settings. */
export function usageQuery(settings: {
  window: UsageWindow;
  since?: string | null;
  until?: string | null;
  granularity: Granularity;
  stack: UsageDimension;
  agent?: string | null;
  whatIf?: string | null;
}): UsageQuery {
  const { window, granularity, stack } = settings;
  const custom = window === "custom";
  return {
    days: custom ? null : WINDOW_DAYS[window],
    since: custom ? (settings.since ?? null) : null,
    until: custom ? (settings.until ?? null) : null,
    granularity,
    stack,
    agent: settings.agent || null,
    whatIf: settings.whatIf || null,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A period's key (as the engine names it, in its own time zone) as a short axis label:
 * `14:00` for an hour (`Nov 30` at midnight), `Nov 30` for a day or a week, `Nov 2026` for a month.
 */
export function periodLabel(key: string, granularity: Granularity): string {
  const [date = "", time] = key.split("T");
  const [year, month, day] = date.split("-");
  const monthName = MONTHS[Number(month) - 1] ?? month;
  if (granularity === "month") return `${monthName} ${year}`;
  if (granularity === "hour" && time) {
    const hour = time.slice(0, 5);
    return hour === "00:00" ? `${monthName} ${Number(day)}` : hour;
  }
  return `${monthName} ${Number(day)}`;
}

/** A period's key in words, for the chart's readout: `Mon Nov 30, 14:00`, `week of Nov 30`, `Nov 2026`. */
export function periodTitle(key: string, granularity: Granularity): string {
  const [date = "", time] = key.split("T");
  const [year, month, day] = date.split("-");
  const monthName = MONTHS[Number(month) - 1] ?? month;
  if (granularity === "month") return `${monthName} ${year}`;
  if (granularity === "week") return `week of ${monthName} ${Number(day)}, ${year}`;
  const text = `${monthName} ${Number(day)}, ${year}`;
  return granularity === "hour" && time ? `${text}, ${time.slice(0, 5)}` : text;
}

/** Token counts compactly: `950`, `12.3k`, `4.5M`, `1.2B`. */
export function formatTokensShort(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return String(Math.round(value));
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, "");
}

/** A ratio as a whole percent ("42%"), one decimal under 10% ("4.2%"); `—` for null. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  const percent = ratio * 100;
  if (percent > 0 && percent < 10) return `${percent.toFixed(1).replace(/\.0$/, "")}%`;
  return `${Math.round(percent)}%`;
}

/** Running sums of `stacks` per period, bottom stack first: what a stacked bar chart draws. */
export function cumulative(stacks: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  stacks.forEach((values, i) => {
    const below = out[i - 1];
    out.push(values.map((v, at) => v + (below ? (below[at] ?? 0) : 0)));
  });
  return out;
}

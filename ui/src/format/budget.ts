import type { AlertKind, BudgetBoard, BudgetScope, BudgetWindow, CheckStatus } from "../backend";
import { formatUsd } from "./money";
import { sessionLabel } from "./sessionKey";

/** Kind of a budget scope ("all", "agent", …). */
export type ScopeKind = BudgetScope["kind"];

/** Kind of a budget window ("day", …, "rolling"). */
export type WindowKind = BudgetWindow["kind"];

/** What each scope kind is called, in the order the budget form offers them. */
export const SCOPE_KIND_LABELS: Readonly<Record<ScopeKind, string>> = {
  all: "All spend",
  agent: "Agent",
  model: "Model",
  provider: "Provider",
  session: "Session",
  cronJob: "Cron job",
};

/** What each window kind is called, in the order the budget form offers them. */
export const WINDOW_KIND_LABELS: Readonly<Record<WindowKind, string>> = {
  day: "Day",
  week: "Week",
  month: "Month",
  rolling: "Rolling hours",
};

/** "All spend", "Agent main", "Session cron nightly-digest"… */
export function scopeLabel(scope: BudgetScope): string {
  if (scope.kind === "all") return SCOPE_KIND_LABELS.all;
  const value = scope.kind === "session" ? sessionLabel(scope.value) : scope.value;
  return `${SCOPE_KIND_LABELS[scope.kind]} ${value}`;
}

/** How a window reads after an amount: "today", "this week", "this month", "last 6 h". */
export function windowPhrase(window: BudgetWindow): string {
  switch (window.kind) {
    case "day":
      return "today";
    case "week":
      return "this week";
    case "month":
      return "this month";
    case "rolling":
      return `last ${window.hours} h`;
  }
}

/** The scope kind of each prefix of a pause's scope text (`agent:main`, `cron:nightly`…). */
const PAUSE_SCOPE_KINDS: Readonly<Record<string, Exclude<ScopeKind, "all">>> = {
  agent: "agent",
  model: "model",
  provider: "provider",
  session: "session",
  cron: "cronJob",
};

/** The scope of a pause as the engine writes it (`all`, `agent:main`…), for people; unknown forms stay as is. */
export function pauseScopeLabel(scope: string): string {
  if (scope === "all") return "Everything";
  const colon = scope.indexOf(":");
  const kind = colon === -1 ? undefined : PAUSE_SCOPE_KINDS[scope.slice(0, colon)];
  const value = scope.slice(colon + 1);
  return kind && value ? scopeLabel({ kind, value }) : scope;
}

/** A percentage of a limit, whole ("62%"); a non-zero amount under 1 % reads "<1%". */
export function formatPercent(percent: number | null): string {
  const value = percent ?? 0;
  if (!Number.isFinite(value)) return "—";
  if (value > 0 && value < 1) return "<1%";
  return `${Math.round(value)}%`;
}

/** A burn rate: "$1.50/h". */
export function formatBurnRate(usdPerHour: number | null): string {
  return `${formatUsd(usdPerHour ?? 0)}/h`;
}

// Partial on purpose: a kind added on the Rust side must not break the UI build.
const ALERT_KINDS: Partial<Record<AlertKind, { status: CheckStatus; label: string }>> = {
  threshold: { status: "warn", label: "Threshold" },
  pause: { status: "error", label: "Paused" },
  resume: { status: "ok", label: "Resumed" },
  pauseFailed: { status: "error", label: "Pause failed" },
  anomaly: { status: "warn", label: "Anomaly" },
};

/** The badge colour and text of an alert kind; an unknown kind shows neutral with its name. */
export function alertKindBadge(kind: AlertKind): { status: CheckStatus; label: string } {
  return ALERT_KINDS[kind] ?? { status: "missing", label: kind };
}

/**
 * The tray's title, as the app's tray sets it: with a budget over all spend, "$0.60 / $1" for
 * the one closest to its limit; otherwise the spend label ("$0.60 today").
 */
export function trayTitle(board: BudgetBoard | null, spendLabel: string): string {
  const overAll = (board?.budgets ?? []).filter((s) => s.budget.scope.kind === "all");
  if (overAll.length === 0) return spendLabel;
  const closest = overAll.reduce((a, b) => ((b.percent ?? 0) > (a.percent ?? 0) ? b : a));
  return closest.label;
}

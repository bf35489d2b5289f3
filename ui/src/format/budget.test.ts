import { describe, expect, it } from "vitest";
import type { BudgetScope, BudgetWindow } from "../backend";
import { alertKindBadge, formatBurnRate, formatPercent, pauseScopeLabel, scopeLabel, windowPhrase } from "./budget";

describe("scopeLabel", () => {
  it.each<[BudgetScope, string]>([
    [{ kind: "all" }, "All spend"],
    [{ kind: "agent", value: "main" }, "Agent main"],
    [{ kind: "model", value: "anthropic/claude-sonnet-4-5" }, "Model anthropic/claude-sonnet-4-5"],
    [{ kind: "provider", value: "openai" }, "Provider openai"],
    [{ kind: "session", value: "agent:main:cron:nightly:run:5d2e" }, "Session main · cron nightly"],
    [{ kind: "cronJob", value: "nightly" }, "Cron job nightly"],
  ])("labels %j as %s", (scope, expected) => {
    expect(scopeLabel(scope)).toBe(expected);
  });
});

describe("windowPhrase", () => {
  it.each<[BudgetWindow, string]>([
    [{ kind: "day" }, "today"],
    [{ kind: "week" }, "this week"],
    [{ kind: "month" }, "this month"],
    [{ kind: "rolling", hours: 6 }, "last 6 h"],
  ])("phrases %j as %s", (window, expected) => {
    expect(windowPhrase(window)).toBe(expected);
  });
});

describe("pauseScopeLabel", () => {
  it.each([
    ["all", "Everything"],
    ["agent:main", "Agent main"],
    ["cron:nightly", "Cron job nightly"],
    ["session:agent:main:main", "Session main · main"],
    ["team:x", "team:x"],
    ["agent:", "agent:"],
  ])("labels %s as %s", (scope, expected) => {
    expect(pauseScopeLabel(scope)).toBe(expected);
  });
});

describe("formatPercent and formatBurnRate", () => {
  it.each([
    [61.7, "62%"],
    [0, "0%"],
    [0.4, "<1%"],
    [120, "120%"],
    [null, "0%"],
  ])("formats %s percent as %s", (value, expected) => {
    expect(formatPercent(value)).toBe(expected);
  });

  it("formats a burn rate per hour, null as zero", () => {
    expect(formatBurnRate(1.5)).toBe("$1.50/h");
    expect(formatBurnRate(null)).toBe("$0.00/h");
  });
});

describe("alertKindBadge", () => {
  it("colours each kind and keeps an unknown one neutral", () => {
    expect(alertKindBadge("threshold")).toEqual({ status: "warn", label: "Threshold" });
    expect(alertKindBadge("pauseFailed")).toEqual({ status: "error", label: "Pause failed" });
    expect(alertKindBadge("resume")).toEqual({ status: "ok", label: "Resumed" });
    expect(alertKindBadge("later" as never)).toEqual({ status: "missing", label: "later" });
  });
});

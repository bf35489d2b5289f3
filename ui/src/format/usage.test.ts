import { describe, expect, it } from "vitest";
import { cumulative, defaultGranularity, formatPercent, formatTokensShort, hoursAllowed, periodLabel, periodTitle, usageQuery } from "./usage";

describe("usage formatting", () => {
  it("names periods from the engine's keys, never through the browser's zone", () => {
    expect(periodLabel("2026-11-30", "day")).toBe("Nov 30");
    expect(periodLabel("2026-11-30T14:00+05:30", "hour")).toBe("14:00");
    expect(periodLabel("2026-11-30T00:00+05:30", "hour")).toBe("Nov 30");
    expect(periodLabel("2026-11", "month")).toBe("Nov 2026");
    expect(periodTitle("2026-11-30T14:00+05:30", "hour")).toBe("Nov 30, 2026, 14:00");
    expect(periodTitle("2026-11-23", "week")).toBe("week of Nov 23, 2026");
  });

  it("stacks bottom first", () => {
    expect(cumulative([[1, 2], [3, 0], [0.5, 1]])).toEqual([[1, 2], [4, 2], [4.5, 3]]);
    expect(cumulative([])).toEqual([]);
  });

  it("maps windows to queries and picks readable granularities", () => {
    expect(usageQuery({ window: "d7", granularity: "day", stack: "model" })).toMatchObject({ days: 7, since: null, until: null });
    expect(usageQuery({ window: "all", granularity: "month", stack: "agent", agent: "" })).toMatchObject({ days: null, agent: null });
    expect(usageQuery({ window: "custom", since: "2026-11-01", until: "2026-11-03", granularity: "day", stack: "model" })).toMatchObject({
      days: null,
      since: "2026-11-01",
      until: "2026-11-03",
    });
    expect(defaultGranularity("today")).toBe("hour");
    expect(defaultGranularity("d90")).toBe("week");
    expect(hoursAllowed("d30")).toBe(false);
    expect(hoursAllowed("custom", "2026-11-01", "2026-11-03")).toBe(true);
  });

  it("formats tokens and ratios compactly", () => {
    expect(formatTokensShort(950)).toBe("950");
    expect(formatTokensShort(12_345)).toBe("12.3k");
    expect(formatTokensShort(4_500_000)).toBe("4.5M");
    expect(formatTokensShort(250_000_000)).toBe("250M");
    expect(formatPercent(0.423)).toBe("42%");
    expect(formatPercent(0.042)).toBe("4.2%");
    expect(formatPercent(null)).toBe("—");
  });
});

import { describe, expect, it } from "vitest";
import { formatCallUsd, formatUsd } from "./money";

describe("formatUsd", () => {
  it.each([
    [0, "$0.00"],
    [1.5, "$1.50"],
    [1234.567, "$1,234.57"],
    [0.01, "$0.01"],
    [0.0042, "$0.0042"],
    [0.009999, "$0.0100"],
    [0.00001, "<$0.0001"],
    [-0.5, "-$0.50"],
    [Number.NaN, "—"],
    [null, "—"],
  ])("formats %s as %s", (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });
});

describe("formatCallUsd", () => {
  it("keeps four decimals under a dollar and cents above", () => {
    expect(formatCallUsd(0.0123)).toBe("$0.0123");
    expect(formatCallUsd(0.5)).toBe("$0.5000");
    expect(formatCallUsd(0)).toBe("$0.0000");
    expect(formatCallUsd(0.00001)).toBe("<$0.0001");
    expect(formatCallUsd(12.345)).toBe("$12.35");
    expect(formatCallUsd(null)).toBe("—");
  });
});

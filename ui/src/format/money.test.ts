import { describe, expect, it } from "vitest";
import { formatUsd } from "./money";

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

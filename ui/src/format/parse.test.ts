import { describe, expect, it } from "vitest";
import { parseUsd, parseWhole, U32_MAX } from "./parse";

describe("parseWhole", () => {
  it("reads whole numbers in range, spaces around allowed", () => {
    expect(parseWhole(" 42 ", 1, 100)).toBe(42);
    expect(parseWhole("0", 0, 10)).toBe(0);
    expect(parseWhole(String(U32_MAX), 0, U32_MAX)).toBe(U32_MAX);
  });

  it.each(["", "-1", "1.5", "1e3", "ten", "101", "0"])("refuses %j for 1 to 100", (text) => {
    expect(parseWhole(text, 1, 100)).toBeUndefined();
  });
});

describe("parseUsd", () => {
  it("reads amounts with a dollar sign and thousands separators", () => {
    expect(parseUsd("$1,000.5", 1e9)).toBe(1000.5);
    expect(parseUsd(" 7.50 ", 1e9)).toBe(7.5);
    expect(parseUsd(".5", 1e9)).toBe(0.5);
    expect(parseUsd("3.", 1e9)).toBe(3);
  });

  it.each(["", "0", "-3", "abc", "1.2.3", "2000000000"])("refuses %j", (text) => {
    expect(parseUsd(text, 1e9)).toBeUndefined();
  });
});

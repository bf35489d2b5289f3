import { describe, expect, it } from "vitest";
import { formatClockTime } from "./time";

describe("formatClockTime", () => {
  it("shows the wall-clock time in the summary's time zone", () => {
    expect(formatClockTime("2025-03-14T13:05:09Z", "Europe/Paris")).toBe("14:05:09");
    expect(formatClockTime("2025-03-14T13:05:09Z", "UTC")).toBe("13:05:09");
  });

  it("survives an unknown zone and an invalid timestamp", () => {
    expect(formatClockTime("2025-03-14T13:05:09Z", "Mars/Olympus")).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(formatClockTime("not a date", "UTC")).toBe("not a date");
  });
});

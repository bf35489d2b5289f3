import { describe, expect, it } from "vitest";
import { formatClockTime, formatDuration, formatWhen } from "./time";

describe("formatClockTime", () => {
  it("shows the wall-clock time in the summary's time zone", () => {
    const sameDay = Date.parse("2025-03-14T20:00:00Z");
    expect(formatClockTime("2025-03-14T13:05:09Z", "Europe/Paris", sameDay)).toBe("14:05:09");
    expect(formatClockTime("2025-03-14T13:05:09Z", "UTC", sameDay)).toBe("13:05:09");
    // Another day in that zone carries its date (23:30 UTC is already the 15th in Paris).
    expect(formatClockTime("2025-03-14T23:30:00Z", "Europe/Paris", sameDay)).toBe("Mar 15, 00:30:00");
    expect(formatClockTime("2025-03-13T13:05:09Z", "UTC", sameDay)).toBe("Mar 13, 13:05:09");
  });

  it("survives an unknown zone and an invalid timestamp", () => {
    expect(formatClockTime("2025-03-14T13:05:09Z", "Mars/Olympus", Date.parse("2025-03-14T13:05:09Z"))).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(formatClockTime("not a date", "UTC")).toBe("not a date");
  });
});

describe("formatWhen", () => {
  const now = new Date(2025, 2, 14, 14, 5).getTime();

  it("shows only the time on the same local day", () => {
    expect(formatWhen(new Date(2025, 2, 14, 9, 30).getTime(), now)).toBe("09:30");
  });

  it("adds the date on another day, and survives an invalid instant", () => {
    const text = formatWhen(new Date(2025, 2, 13, 23, 59).getTime(), now);
    expect(text).toMatch(/13/);
    expect(text).toMatch(/, 23:59$/);
    expect(formatWhen(Number.NaN, now)).toBe("—");
  });
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [45, "45 s"],
    [300, "5 min"],
    [90, "1 min 30 s"],
    [7200, "2 h"],
    [5400, "1 h 30 min"],
    [3661, "1 h 1 min 1 s"],
    [0, "0 s"],
    [Number.NaN, "0 s"],
  ])("shows %d seconds as %s", (secs, text) => {
    expect(formatDuration(secs)).toBe(text);
  });
});

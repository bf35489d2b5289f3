import { describe, expect, it } from "vitest";
import { formatAxisUsd, labelled, usableLanguage } from "./UsageChart";

describe("chart axes", () => {
  it("label every period while they fit, else every n-th", () => {
    expect(labelled(1, 900)).toEqual([0]);
    expect(labelled(7, 900)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(labelled(30, 700)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(labelled(24, 0)).toHaveLength(1);
  });

  it("show whole dollars from $10", () => {
    expect(formatAxisUsd(2500)).toBe("$2,500");
    expect(formatAxisUsd(7.5)).toBe("$7.50");
    expect(formatAxisUsd(0)).toBe("$0");
  });
});

describe("the language uPlot formats numbers with", () => {
  it("is one Intl accepts, even where the system says C", () => {
    Object.defineProperty(navigator, "language", { value: "C", configurable: true });
    usableLanguage();
    expect(navigator.language).toBe("en-US");
    Object.defineProperty(navigator, "language", { value: "fr-FR", configurable: true });
    usableLanguage();
    expect(navigator.language).toBe("fr-FR");
    delete (navigator as { language?: string }).language;
  });
});

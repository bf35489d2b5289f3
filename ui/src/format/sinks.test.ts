import { describe, expect, it } from "vitest";
import { cooldownPhrase, isSinkKind, SINK_KIND_LABELS, sinkKindLabel } from "./sinks";

describe("sink kinds", () => {
  it("names every kind the engine has, and an unknown one by itself", () => {
    expect(Object.keys(SINK_KIND_LABELS).sort()).toEqual(["discord", "email", "ntfy", "slack", "telegram", "webhook"]);
    expect(sinkKindLabel("slack")).toBe("Slack");
    expect(sinkKindLabel("ntfy")).toBe("ntfy");
    expect(sinkKindLabel("pager")).toBe("pager");
    expect(isSinkKind("email")).toBe(true);
    expect(isSinkKind("toString")).toBe(false);
  });
});

describe("cooldownPhrase", () => {
  it("says there is none, or how often alerts go out at most", () => {
    expect(cooldownPhrase(0)).toBe("No cooldown");
    expect(cooldownPhrase(300)).toBe("At most one alert every 5 min");
    expect(cooldownPhrase(3600)).toBe("At most one alert every 1 h");
  });
});

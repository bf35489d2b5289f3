import { describe, expect, it } from "vitest";
import { readSettings, writeSettings } from "./settings";

describe("usage settings in the address", () => {
  it("round-trip, leaving defaults out", () => {
    const params = new URLSearchParams("window=d90&by=channel&metric=tokens&agent=ops&whatIf=gpt-4o&table=sessions");
    const settings = readSettings(params);
    expect(settings).toMatchObject({ window: "d90", granularity: "week", stack: "channel", metric: "tokens", agent: "ops", whatIf: "gpt-4o", table: "sessions" });
    expect(writeSettings(settings)).toEqual({ window: "d90", by: "channel", metric: "tokens", agent: "ops", whatIf: "gpt-4o", table: "sessions" });
    expect(writeSettings(readSettings(new URLSearchParams()))).toEqual({ window: "d30" });
  });

  it("fall back on anything unknown, and never cut a long window in hours", () => {
    expect(readSettings(new URLSearchParams("window=forever&by=color&every=hour"))).toMatchObject({ window: "d30", stack: "model", granularity: "day" });
    expect(readSettings(new URLSearchParams("window=custom&since=2026-11-01&until=2026-11-02&every=hour")).granularity).toBe("hour");
  });
});

import { describe, expect, it } from "vitest";
import type { AnomalyDraft, AnomalyRule } from "../backend";
import { anomalyActionPhrase, anomalyPhrase, anomalyRulePhrase, isPerSessionRule } from "./anomaly";

describe("anomalyRulePhrase", () => {
  it.each<[AnomalyRule, string]>([
    [{ kind: "runawayLoop", repeats: 10 }, "The same tool call 10 times in a session"],
    [{ kind: "tokenVelocity", tokensPerMinute: 120000 }, "More than 120,000 tokens a minute, all sessions together"],
    [{ kind: "errorSpike", errors: 5, minutes: 2 }, "5 errors within 2 min"],
    [{ kind: "longRun", minutes: 45 }, "A session working for more than 45 min without a break"],
    [{ kind: "sessionCost", usd: 2.5 }, "A session costing more than $2.50"],
    [{ kind: "sessionCost", usd: null }, "A session costing more than —"],
  ])("says %j in words", (rule, text) => {
    expect(anomalyRulePhrase(rule)).toBe(text);
  });

  it("shows a kind added on the Rust side by its name", () => {
    expect(anomalyRulePhrase({ kind: "quietHours" } as unknown as AnomalyRule)).toBe("quietHours");
  });
});

describe("anomalyActionPhrase", () => {
  it("pauses only the session for per-session rules, everything for the others", () => {
    expect(isPerSessionRule("runawayLoop")).toBe(true);
    expect(isPerSessionRule("longRun")).toBe(true);
    expect(isPerSessionRule("sessionCost")).toBe(true);
    expect(isPerSessionRule("tokenVelocity")).toBe(false);
    expect(isPerSessionRule("errorSpike")).toBe(false);

    const loop: AnomalyDraft = { rule: { kind: "runawayLoop", repeats: 10 }, action: "pause" };
    const spike: AnomalyDraft = { rule: { kind: "errorSpike", errors: 5, minutes: 2 }, action: "pause" };
    expect(anomalyActionPhrase(loop)).toBe("alert and pause that session");
    expect(anomalyActionPhrase(spike)).toBe("alert and pause everything");
    expect(anomalyActionPhrase({ ...spike, action: "alert" })).toBe("alert");
  });

  it("joins the rule and the action", () => {
    expect(anomalyPhrase({ rule: { kind: "runawayLoop", repeats: 10 }, action: "alert" })).toBe(
      "The same tool call 10 times in a session — alert",
    );
  });
});

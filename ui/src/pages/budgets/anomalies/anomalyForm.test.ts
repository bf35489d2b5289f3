import { describe, expect, it } from "vitest";
import { NEW_ANOMALY, RULE_FIELDS, validateAnomalyForm, type AnomalyFormValues } from "./anomalyForm";

describe("validateAnomalyForm", () => {
  it("builds the default draft: a runaway loop of 10 that alerts", () => {
    expect(validateAnomalyForm({ ...NEW_ANOMALY })).toEqual({
      ok: true,
      draft: { rule: { kind: "runawayLoop", repeats: 10 }, action: "alert" },
    });
  });

  it("builds each kind's rule from its own numbers only", () => {
    const values: AnomalyFormValues = { ...NEW_ANOMALY, repeats: "oops", action: "pause" };
    expect(validateAnomalyForm({ ...values, kind: "tokenVelocity" })).toMatchObject({
      draft: { rule: { kind: "tokenVelocity", tokensPerMinute: 50000 }, action: "pause" },
    });
    expect(validateAnomalyForm({ ...values, kind: "errorSpike" })).toMatchObject({
      draft: { rule: { kind: "errorSpike", errors: 10, minutes: 5 } },
    });
    expect(validateAnomalyForm({ ...values, kind: "longRun" })).toMatchObject({
      draft: { rule: { kind: "longRun", minutes: 60 } },
    });
    expect(validateAnomalyForm({ ...values, kind: "sessionCost", usd: "$12.5" })).toMatchObject({
      draft: { rule: { kind: "sessionCost", usd: 12.5 } },
    });
  });

  it.each<[Partial<AnomalyFormValues>, string[]]>([
    [{ repeats: "1" }, ["repeats"]],
    [{ repeats: "" }, ["repeats"]],
    [{ kind: "tokenVelocity", tokensPerMinute: "0" }, ["tokensPerMinute"]],
    [{ kind: "errorSpike", errors: "0", spikeMinutes: "0" }, ["errors", "spikeMinutes"]],
    [{ kind: "errorSpike", spikeMinutes: "1441" }, ["spikeMinutes"]],
    [{ kind: "longRun", runMinutes: "10081" }, ["runMinutes"]],
    [{ kind: "sessionCost", usd: "0" }, ["usd"]],
    [{ kind: "sessionCost", usd: "free" }, ["usd"]],
  ])("refuses %j with a message on %j", (change, fields) => {
    const result = validateAnomalyForm({ ...NEW_ANOMALY, ...change });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(fields);
  });

  it("accepts the engine's bounds", () => {
    expect(validateAnomalyForm({ ...NEW_ANOMALY, repeats: "2" }).ok).toBe(true);
    expect(validateAnomalyForm({ ...NEW_ANOMALY, kind: "errorSpike", spikeMinutes: "1440" }).ok).toBe(true);
    expect(validateAnomalyForm({ ...NEW_ANOMALY, kind: "longRun", runMinutes: "10080" }).ok).toBe(true);
  });

  it("has a default for every number it asks for", () => {
    for (const specs of Object.values(RULE_FIELDS)) {
      for (const spec of specs) expect(NEW_ANOMALY[spec.field]).not.toBe("");
    }
  });
});

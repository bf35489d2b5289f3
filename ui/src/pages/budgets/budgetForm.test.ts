import { describe, expect, it } from "vitest";
import { AGENT_BUDGET, DAILY_BUDGET } from "../../test/fixtures";
import { formValues, validateBudgetForm, type BudgetFormValues } from "./budgetForm";

const VALID: BudgetFormValues = { ...formValues(null), limit: "20" };

describe("formValues", () => {
  it("starts a new budget on all spend, per day, pausing at the limit (as the CLI does)", () => {
    expect(formValues(null)).toMatchObject({ scopeKind: "all", windowKind: "day", limit: "", action: "pause", autoResume: true });
  });

  it("fills the form from a budget and gives the same budget back", () => {
    const { id: _id, ...draft } = AGENT_BUDGET;
    expect(formValues(AGENT_BUDGET)).toMatchObject({
      scopeKind: "agent",
      scopeValue: "research",
      windowKind: "rolling",
      hours: "6",
      limit: "5",
      thresholds: "80, 120",
    });
    expect(validateBudgetForm(formValues(AGENT_BUDGET))).toEqual({ ok: true, draft });
    expect(validateBudgetForm(formValues(DAILY_BUDGET))).toMatchObject({ ok: true, draft: { scope: { kind: "all" } } });
  });
});

describe("validateBudgetForm", () => {
  it("builds a draft: trimmed name, $ and commas accepted, thresholds sorted and deduplicated", () => {
    const result = validateBudgetForm({ ...VALID, name: "  Cap ", limit: "$1,000.5", thresholds: "80, 50%, 80", action: "alert" });
    expect(result).toEqual({
      ok: true,
      draft: {
        name: "Cap",
        scope: { kind: "all" },
        window: { kind: "day" },
        limitUsd: 1000.5,
        thresholds: [50, 80],
        action: "alert",
        autoResume: false,
      },
    });
  });

  it("leaves empty thresholds to the engine's defaults and keeps auto-resume only for pause", () => {
    const result = validateBudgetForm({ ...VALID, action: "pause", autoResume: true });
    expect(result).toMatchObject({ ok: true, draft: { thresholds: [], action: "pause", autoResume: true } });
  });

  it.each<[Partial<BudgetFormValues>, string]>([
    [{ limit: "" }, "limit"],
    [{ limit: "0" }, "limit"],
    [{ limit: "-3" }, "limit"],
    [{ limit: "abc" }, "limit"],
    [{ limit: "2000000000" }, "limit"],
    [{ thresholds: "0" }, "thresholds"],
    [{ thresholds: "50, 1001" }, "thresholds"],
    [{ thresholds: "50, 7.5" }, "thresholds"],
    [{ thresholds: "fifty" }, "thresholds"],
    [{ windowKind: "rolling", hours: "0" }, "hours"],
    [{ windowKind: "rolling", hours: "8785" }, "hours"],
    [{ windowKind: "rolling", hours: "" }, "hours"],
    [{ scopeKind: "agent", scopeValue: "  " }, "scopeValue"],
  ])("rejects %j with a message on %s", (change, field) => {
    const result = validateBudgetForm({ ...VALID, ...change });
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : Object.keys(result.errors)).toEqual([field]);
  });

  it("accepts the bounds: 1 and 8784 hours, thresholds 1 and 1000", () => {
    const widest = validateBudgetForm({ ...VALID, windowKind: "rolling", hours: "8784", thresholds: "1, 1000" });
    expect(widest).toMatchObject({
      ok: true,
      draft: { window: { kind: "rolling", hours: 8784 }, thresholds: [1, 1000] },
    });
    expect(validateBudgetForm({ ...VALID, windowKind: "rolling", hours: "1" }).ok).toBe(true);
  });

  it("reports every invalid input at once", () => {
    const result = validateBudgetForm({ ...VALID, scopeKind: "model", limit: "", thresholds: "x" });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(["limit", "scopeValue", "thresholds"]);
  });
});

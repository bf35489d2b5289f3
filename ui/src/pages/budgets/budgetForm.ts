import type { Budget, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow } from "../../backend";
import type { ScopeKind, WindowKind } from "../../format/budget";
import { MAX_USD, parseUsd, parseWhole } from "../../format/parse";
import type { FieldGroupProps, FormErrors, FormResult } from "../../hooks/useFormState";

/** What the budget form holds: the text of each input, as typed. */
export interface BudgetFormValues {
  name: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  windowKind: WindowKind;
  /** Hours of a rolling window. */
  hours: string;
  /** The limit in USD. */
  limit: string;
  /** Comma-separated percents; empty for the defaults. */
  thresholds: string;
  action: BudgetAction;
  autoResume: boolean;
}

/** The inputs that can be invalid. */
export type BudgetFormField = "scopeValue" | "hours" | "limit" | "thresholds";

/** Props of the budget form's groups of fields. */
export type BudgetFieldsProps = FieldGroupProps<BudgetFormValues, BudgetFormField>;

/** Limits the engine enforces (see `BudgetDraft::validated`; the limit's is `MAX_USD`). */
const MAX_THRESHOLD = 1000;
export const MAX_ROLLING_HOURS = 8784;

/** What the scope value input asks for, per scope kind. */
export const SCOPE_VALUE_PLACEHOLDERS: Readonly<Record<Exclude<ScopeKind, "all">, string>> = {
  agent: "main",
  model: "anthropic/claude-sonnet-4-5",
  provider: "anthropic",
  session: "agent:main:main",
  cronJob: "nightly-digest",
};

const NEW_BUDGET: BudgetFormValues = {
  name: "",
  scopeKind: "all",
  scopeValue: "",
  windowKind: "day",
  hours: "24",
  limit: "",
  thresholds: "",
  // As `clawtower budget set`: a budget is there to stop the bill, so it pauses at the limit.
  action: "pause",
  autoResume: true,
};

/** The form's values for editing `budget`, or for a new budget when null. */
export function formValues(budget: Budget | null): BudgetFormValues {
  if (!budget) return { ...NEW_BUDGET };
  return {
    name: budget.name,
    scopeKind: budget.scope.kind,
    scopeValue: budget.scope.kind === "all" ? "" : budget.scope.value,
    windowKind: budget.window.kind,
    hours: budget.window.kind === "rolling" ? String(budget.window.hours) : NEW_BUDGET.hours,
    limit: budget.limitUsd === null ? "" : String(budget.limitUsd),
    thresholds: budget.thresholds.join(", "),
    action: budget.action,
    autoResume: budget.autoResume,
  };
}

function parseThresholds(text: string): number[] | undefined {
  const parts = text
    .split(",")
    .map((part) => part.trim().replace(/\s*%$/, ""))
    .filter(Boolean);
  const values = parts.map((part) => parseWhole(part, 1, MAX_THRESHOLD));
  if (values.some((v) => v === undefined)) return undefined;
  return [...new Set(values as number[])].sort((a, b) => a - b);
}

function scopeOf(values: BudgetFormValues, value: string): BudgetScope {
  return values.scopeKind === "all" ? { kind: "all" } : { kind: values.scopeKind, value };
}

function windowOf(values: BudgetFormValues, hours: number): BudgetWindow {
  return values.windowKind === "rolling" ? { kind: "rolling", hours } : { kind: values.windowKind };
}

/**
 * Checks the form the way the engine will (so most mistakes are caught before saving) and
 * builds the draft: the name is optional, the limit a positive amount, the thresholds whole
 * percents from 1 to 1000 (empty for 50/80/100), rolling hours 1 to 8784, and the scope value
 * required unless the scope is all spend. Auto-resume is only kept for pause budgets.
 */
export function validateBudgetForm(values: BudgetFormValues): FormResult<BudgetDraft, BudgetFormField> {
  const errors: FormErrors<BudgetFormField> = {};
  const scopeValue = values.scopeValue.trim();
  if (values.scopeKind !== "all" && !scopeValue) errors.scopeValue = "Say which one this budget is for.";

  const hours = values.windowKind === "rolling" ? parseWhole(values.hours, 1, MAX_ROLLING_HOURS) : 0;
  if (hours === undefined) errors.hours = `Enter a whole number of hours from 1 to ${MAX_ROLLING_HOURS}.`;

  const limit = parseUsd(values.limit, MAX_USD);
  if (limit === undefined) errors.limit = "Enter an amount above $0, e.g. 20 or 7.50.";

  const thresholds = parseThresholds(values.thresholds);
  if (thresholds === undefined) {
    errors.thresholds = `Use whole percents from 1 to ${MAX_THRESHOLD}, separated by commas.`;
  }

  if (hours === undefined || limit === undefined || thresholds === undefined || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    draft: {
      name: values.name.trim(),
      scope: scopeOf(values, scopeValue),
      window: windowOf(values, hours),
      limitUsd: limit,
      thresholds,
      action: values.action,
      autoResume: values.action === "pause" && values.autoResume,
    },
  };
}

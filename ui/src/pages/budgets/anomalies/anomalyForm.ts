import type { AnomalyDraft, AnomalyRule, BudgetAction } from "../../../backend";
import type { AnomalyKind } from "../../../format/anomaly";
import { MAX_USD, parseUsd, parseWhole, U32_MAX } from "../../../format/parse";
import type { FieldGroupProps, FormErrors, FormResult } from "../../../hooks/useFormState";

/** What the Add rule form holds: the text of each number, as typed, for every kind. */
export interface AnomalyFormValues {
  kind: AnomalyKind;
  tokensPerMinute: string;
  repeats: string;
  errors: string;
  /** Error spike: the window, in minutes. */
  spikeMinutes: string;
  /** Long run: how long, in minutes. */
  runMinutes: string;
  usd: string;
  action: BudgetAction;
}

/** The inputs that can be invalid: the numbers. */
export type AnomalyFormField = "tokensPerMinute" | "repeats" | "errors" | "spikeMinutes" | "runMinutes" | "usd";

/** Props of the Add rule form's groups of fields. */
export type AnomalyFieldsProps = FieldGroupProps<AnomalyFormValues, AnomalyFormField>;

/** One number a rule kind asks for, with the range the engine accepts. */
export interface RuleFieldSpec {
  field: AnomalyFormField;
  label: string;
  hint: string;
  /** Shown when the number is missing or out of range. */
  message: string;
  /** An amount in USD (above 0) rather than a whole number from `min` to `max`. */
  usd?: boolean;
  min: number;
  max: number;
}

/** The numbers each rule kind asks for, in order (see `AnomalyRule::validate`). */
export const RULE_FIELDS: Readonly<Record<AnomalyKind, readonly RuleFieldSpec[]>> = {
  runawayLoop: [
    {
      field: "repeats",
      label: "Repeats",
      hint: "The same tool with the same arguments, in one session, within 30 minutes. At least 2.",
      message: "Enter a whole number of repeats, 2 or more.",
      min: 2,
      max: U32_MAX,
    },
  ],
  tokenVelocity: [
    {
      field: "tokensPerMinute",
      label: "Tokens per minute",
      hint: "Input, output and cache tokens over the last 5 minutes, all sessions together.",
      message: "Enter a whole number of tokens above 0.",
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
    },
  ],
  errorSpike: [
    {
      field: "errors",
      label: "Errors",
      hint: "Failed tool results and model errors, all sessions together.",
      message: "Enter a whole number of errors above 0.",
      min: 1,
      max: U32_MAX,
    },
    {
      field: "spikeMinutes",
      label: "Within (minutes)",
      hint: "1 to 1440 (a day).",
      message: "Enter whole minutes from 1 to 1440.",
      min: 1,
      max: 1440,
    },
  ],
  longRun: [
    {
      field: "runMinutes",
      label: "Minutes",
      hint: "A session working without a 10-minute break for longer than this; up to 10080 (a week).",
      message: "Enter whole minutes from 1 to 10080.",
      min: 1,
      max: 10_080,
    },
  ],
  sessionCost: [
    {
      field: "usd",
      label: "Cost (USD)",
      hint: "One session's total cost.",
      message: "Enter an amount above $0, e.g. 5 or 2.50.",
      usd: true,
      min: 0,
      max: MAX_USD,
    },
  ],
};

/** A new rule: a runaway loop of 10 repeats that alerts, with a sensible default for every other kind. */
export const NEW_ANOMALY: Readonly<AnomalyFormValues> = {
  kind: "runawayLoop",
  tokensPerMinute: "50000",
  repeats: "10",
  errors: "10",
  spikeMinutes: "5",
  runMinutes: "60",
  usd: "5",
  action: "alert",
};

function parseField(spec: RuleFieldSpec, text: string): number | undefined {
  return spec.usd ? parseUsd(text, spec.max) : parseWhole(text, spec.min, spec.max);
}

/** The rule of `kind` from the parsed numbers (all present). */
function ruleOf(kind: AnomalyKind, n: Readonly<Record<AnomalyFormField, number>>): AnomalyRule {
  switch (kind) {
    case "runawayLoop":
      return { kind, repeats: n.repeats };
    case "tokenVelocity":
      return { kind, tokensPerMinute: n.tokensPerMinute };
    case "errorSpike":
      return { kind, errors: n.errors, minutes: n.spikeMinutes };
    case "longRun":
      return { kind, minutes: n.runMinutes };
    case "sessionCost":
      return { kind, usd: n.usd };
  }
}

/**
 * Checks the chosen kind's numbers the way the engine will (repeats at least 2, error window 1
 * to 1440 minutes, long runs up to a week, amounts above 0) and builds the draft.
 */
export function validateAnomalyForm(values: AnomalyFormValues): FormResult<AnomalyDraft, AnomalyFormField> {
  const errors: FormErrors<AnomalyFormField> = {};
  const numbers: Partial<Record<AnomalyFormField, number>> = {};
  for (const spec of RULE_FIELDS[values.kind]) {
    const value = parseField(spec, values[spec.field]);
    if (value === undefined) errors[spec.field] = spec.message;
    else numbers[spec.field] = value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    draft: { rule: ruleOf(values.kind, numbers as Record<AnomalyFormField, number>), action: values.action },
  };
}

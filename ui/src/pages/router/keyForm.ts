import type { KeyDraft } from "../../backend";
import { parseWhole, U32_MAX } from "../../format/parse";
import type { FormErrors, FormResult } from "../../hooks/useFormState";

/** What the New key form holds, as typed. */
export interface KeyFormValues {
  agentId: string;
  name: string;
  /** Comma-separated; empty: any model. */
  models: string;
  rpm: string;
  tpm: string;
  maxParallel: string;
}

/** The inputs that can be invalid. */
export type KeyFormField = "agentId" | "rpm" | "tpm" | "maxParallel";

/** An empty form. */
export const NEW_KEY: KeyFormValues = { agentId: "", name: "", models: "", rpm: "", tpm: "", maxParallel: "" };

/** An optional whole number: empty is no limit, else 1 or more. */
function limit(text: string, max: number): { ok: true; value: number | null } | { ok: false } {
  if (!text.trim()) return { ok: true, value: null };
  const value = parseWhole(text, 1, max);
  return value === undefined ? { ok: false } : { ok: true, value };
}

/** Checks the form as the engine will: an agent, and limits of 1 or more when given. */
export function validateKeyForm(values: KeyFormValues): FormResult<KeyDraft, KeyFormField> {
  const errors: FormErrors<KeyFormField> = {};
  const agentId = values.agentId.trim();
  if (!agentId) errors.agentId = "Enter the agent whose calls these are (its id in OpenClaw).";
  const rpm = limit(values.rpm, U32_MAX);
  const tpm = limit(values.tpm, Number.MAX_SAFE_INTEGER);
  const maxParallel = limit(values.maxParallel, U32_MAX);
  const message = "Leave it empty for no limit, or enter a whole number of 1 or more.";
  if (!rpm.ok) errors.rpm = message;
  if (!tpm.ok) errors.tpm = message;
  if (!maxParallel.ok) errors.maxParallel = message;
  if (Object.keys(errors).length || !rpm.ok || !tpm.ok || !maxParallel.ok) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      agentId,
      name: values.name.trim(),
      models: values.models
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean),
      limits: { rpm: rpm.value, tpm: tpm.value, maxParallel: maxParallel.value, budgetId: null },
    },
  };
}

import type { CronDraft, CronRow } from "../../backend";
import type { FormErrors, FormResult } from "../../hooks/useFormState";

/** How a job's schedule is given. */
export type ScheduleKind = "every" | "cron" | "at";

/** What the job form holds, as typed. */
export interface CronFormValues {
  name: string;
  agentId: string;
  message: string;
  kind: ScheduleKind;
  /** Minutes between runs (every). */
  minutes: string;
  /** Cron expression and its time zone (cron). */
  expr: string;
  tz: string;
  /** An instant with its offset (at). */
  at: string;
  enabled: boolean;
}

/** The inputs that can be invalid. */
export type CronFormField = "name" | "message" | "minutes" | "expr" | "at";

/** A new job: every day, on. */
export const NEW_CRON: CronFormValues = {
  name: "",
  agentId: "",
  message: "",
  kind: "every",
  minutes: "1440",
  expr: "0 9 * * *",
  tz: Intl.DateTimeFormat().resolvedOptions().timeZone ?? "",
  at: "",
  enabled: true,
};

/** The form for changing `job`. */
export function cronValues(job: CronRow): CronFormValues {
  const base = { ...NEW_CRON, name: job.name, agentId: job.agentId ?? "", message: job.message ?? "", enabled: job.enabled };
  const s = job.schedule;
  if (s?.kind === "every") return { ...base, kind: "every", minutes: String(Math.round(s.everyMs / 60_000)) };
  if (s?.kind === "cron") return { ...base, kind: "cron", expr: s.expr, tz: s.tz ?? "" };
  if (s?.kind === "at") return { ...base, kind: "at", at: s.at };
  return base;
}

/** Checks what the form can (the engine checks each cron field, the zone and the time). */
export function validateCronForm(values: CronFormValues): FormResult<CronDraft, CronFormField> {
  const errors: FormErrors<CronFormField> = {};
  if (!values.name.trim()) errors.name = "Give the job a name.";
  if (!values.message.trim()) errors.message = "Say what the agent is asked each time.";
  const minutes = Number(values.minutes.trim());
  if (values.kind === "every" && !(Number.isInteger(minutes) && minutes >= 1))
    errors.minutes = "A whole number of minutes, 1 or more.";
  if (values.kind === "cron" && values.expr.trim().split(/\s+/).length !== 5)
    errors.expr = "Five fields: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5.";
  if (values.kind === "at" && Number.isNaN(Date.parse(values.at.trim())))
    errors.at = "A date and time with its offset, e.g. 2026-12-24T18:00:00+01:00.";
  if (Object.keys(errors).length) return { ok: false, errors };
  const schedule: CronDraft["schedule"] =
    values.kind === "every"
      ? { kind: "every", everyMs: minutes * 60_000 }
      : values.kind === "cron"
        ? { kind: "cron", expr: values.expr.trim(), tz: values.tz.trim() || null }
        : { kind: "at", at: values.at.trim() };
  return {
    ok: true,
    draft: {
      name: values.name.trim(),
      agentId: values.agentId.trim() || null,
      message: values.message.trim(),
      schedule,
      enabled: values.enabled,
    },
  };
}

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
  /** The job's own stagger as stored, kept while its expression is: OpenClaw sets one per expression. */
  stored: { expr: string; staggerMs: number } | null;
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
  stored: null,
};

/** The form for changing `job`. */
export function cronValues(job: CronRow): CronFormValues {
  const base = { ...NEW_CRON, name: job.name, agentId: job.agentId ?? "", message: job.message ?? "", enabled: job.enabled };
  const s = job.schedule;
  if (s?.kind === "every") return { ...base, kind: "every", minutes: String(Math.round(s.everyMs / 60_000)) };
  if (s?.kind === "cron")
    return { ...base, kind: "cron", expr: s.expr, tz: s.tz ?? "", stored: s.staggerMs === undefined || s.staggerMs === null ? null : { expr: s.expr, staggerMs: s.staggerMs } };
  if (s?.kind === "at") return { ...base, kind: "at", at: s.at };
  return base;
}

/** The schedule the form gives, or the input that is wrong and why. */
export type ScheduleResult = { ok: true; schedule: CronDraft["schedule"] } | { ok: false; field: CronFormField; error: string };

/** The schedule of the form's "When" inputs, as far as the form can check it (the engine checks the rest). */
export function scheduleOf(values: CronFormValues): ScheduleResult {
  if (values.kind === "every") {
    const minutes = Number(values.minutes.trim());
    if (!(Number.isInteger(minutes) && minutes >= 1)) return { ok: false, field: "minutes", error: "A whole number of minutes, 1 or more." };
    return { ok: true, schedule: { kind: "every", everyMs: minutes * 60_000 } };
  }
  if (values.kind === "cron") {
    const expr = values.expr.trim();
    if (!expr) return { ok: false, field: "expr", error: "A cron expression: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5." };
    const kept = values.stored?.expr === expr ? { staggerMs: values.stored.staggerMs } : {};
    return { ok: true, schedule: { kind: "cron", expr, tz: values.tz.trim() || null, ...kept } };
  }
  if (Number.isNaN(Date.parse(values.at.trim())))
    return { ok: false, field: "at", error: "A date and time with its offset, e.g. 2026-12-24T18:00:00+01:00." };
  return { ok: true, schedule: { kind: "at", at: values.at.trim() } };
}

/** Checks what the form can (the engine checks each cron field, the zone and the time). */
export function validateCronForm(values: CronFormValues): FormResult<CronDraft, CronFormField> {
  const errors: FormErrors<CronFormField> = {};
  if (!values.name.trim()) errors.name = "Give the job a name.";
  if (!values.message.trim()) errors.message = "Say what the agent is asked each time.";
  const when = scheduleOf(values);
  if (!when.ok) errors[when.field] = when.error;
  if (!when.ok || Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      name: values.name.trim(),
      agentId: values.agentId.trim() || null,
      message: values.message.trim(),
      schedule: when.schedule,
      enabled: values.enabled,
    },
  };
}

import { useCallback } from "react";
import { useBackend, type CronDraft, type SchedulePreview } from "../../backend";
import { formatDuration, formatRunTime } from "../../format/time";
import { useAsync } from "../../hooks/useAsync";
import { useDebounced } from "../../hooks/useDebounced";
import type { ScheduleResult } from "./cronForm";
import "./NextRuns.css";

/** How long typing must pause before the schedule is checked again. */
const SETTLE_MS = 300;

/**
 * A live preview of the schedule being typed: the engine's check of it (its sentence when it is
 * wrong), in words, and its next five runs in its time zone. Nothing while the form itself says
 * what is missing.
 */
export function NextRuns({ when, job }: { when: ScheduleResult; job: string | null }) {
  const schedule = useDebounced(when.ok ? when.schedule : null, JSON.stringify(when), SETTLE_MS);
  if (!schedule) return null;
  return <Preview schedule={schedule} job={job} />;
}

/** What OpenClaw's stagger of top-of-hour jobs does to the runs shown. */
function staggerNote({ staggerMs, offsetMs }: SchedulePreview): string | null {
  if (staggerMs <= 0) return null;
  if (offsetMs !== null) return `OpenClaw starts this job ${formatDuration(offsetMs / 1000)} after the hour (its stagger of top-of-hour jobs), as shown.`;
  return `OpenClaw starts each run up to ${formatDuration(staggerMs / 1000)} later (its stagger of top-of-hour jobs: the delay is set by the job's id).`;
}

function Preview({ schedule, job }: { schedule: CronDraft["schedule"]; job: string | null }) {
  const backend = useBackend();
  const { state } = useAsync(useCallback(() => backend.cronPreview(schedule, job), [backend, schedule, job]));
  if (state.status === "loading")
    return (
      <p className="field-hint" data-testid="cron-preview-loading">
        Working out the next runs…
      </p>
    );
  if (state.status === "error")
    return (
      <p className="field-error" role="alert" data-testid="cron-preview-error">
        {state.error.message}
      </p>
    );
  const { words, zone, runsMs } = state.data;
  const note = staggerNote(state.data);
  const counted = schedule.kind === "every" ? " (counted from when it is saved)" : "";
  return (
    <div className="next-runs" data-testid="cron-preview">
      <p className="field-hint">
        Runs {words}. {runsMs.length === 1 ? "Its run" : "Next runs"}
        {zone ? ` (${zone})` : ""}
        {counted}:
      </p>
      <ol className="next-runs-list">
        {runsMs.map((ms) => (
          <li key={ms} data-testid="cron-preview-run">
            {formatRunTime(ms, zone)}
          </li>
        ))}
      </ol>
      {note && (
        <p className="field-hint" data-testid="cron-preview-stagger">
          {note}
        </p>
      )}
    </div>
  );
}

import { useCallback } from "react";
import { useBackend, type CronRow } from "../../backend";
import { CheckboxChoice } from "../../components/CheckboxChoice";
import { FormDialog } from "../../components/FormDialog";
import { MonoField } from "../../components/MonoField";
import { SegmentedControl } from "../../components/SegmentedControl";
import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { useAsync } from "../../hooks/useAsync";
import { fieldBinder, type FieldBinding } from "../../hooks/useFormState";
import { cronValues, NEW_CRON, scheduleOf, validateCronForm, type ScheduleKind } from "./cronForm";
import { NextRuns } from "./NextRuns";

const KINDS = [
  { value: "every", label: "Every" },
  { value: "cron", label: "Cron" },
  { value: "at", label: "Once" },
] as const satisfies readonly { value: ScheduleKind; label: string }[];

/** Props of {@link CronDialog}. */
export interface CronDialogProps {
  /** The job to change; a new job when absent. */
  job?: CronRow;
  onClose: () => void;
  onSaved: () => void;
}

/** The gateway's agents as `[id, "name (id)"]`; `null` while loading or when they cannot be read. */
function useAgentChoices(): [string, string][] | null {
  const backend = useBackend();
  const { state } = useAsync(useCallback(() => backend.agents(), [backend]));
  if (state.status !== "ready" || state.data.length === 0) return null;
  return state.data.map((a) => [a.id, a.name === a.id ? a.id : `${a.name} (${a.id})`]);
}

/** The job's agent: picked from the gateway's agents, typed when they cannot be read. */
function AgentField({ agents, value, ...rest }: { agents: [string, string][] | null } & FieldBinding<string>) {
  if (!agents) return <MonoField label="Agent" hint="Its id; empty: the default agent." value={value} {...rest} />;
  // The job's agent stays a choice, even when the gateway no longer has it.
  const known = agents.some(([id]) => id === value) || value === "" ? agents : [...agents, [value, `${value} (not on the gateway)`] as [string, string]];
  const options = Object.fromEntries([["", "The default agent"], ...known]) as Record<string, string>;
  return <SelectField label="Agent" options={options} value={value} {...rest} />;
}

/**
 * The New job and Edit job dialog: name, agent, what it is asked, and when — every N minutes,
 * a cron expression in a time zone, or once; the engine's check of the schedule and its next
 * runs shown live as it is typed.
 */
export function CronDialog({ job, onClose, onSaved }: CronDialogProps) {
  const backend = useBackend();
  const agents = useAgentChoices();
  return (
    <FormDialog
      title={job ? `Edit ${job.name}` : "New cron job"}
      description="An isolated turn of the agent on a schedule; its answer is kept in its session, not sent anywhere."
      testIdPrefix="cron"
      initial={() => (job ? cronValues(job) : { ...NEW_CRON })}
      validate={validateCronForm}
      save={(draft) => (job ? backend.editCron(job.id, draft).then(() => job.id) : backend.addCron(draft))}
      submitLabel={job ? "Save" : "Create job"}
      busyLabel="Saving…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "cron");
        const { kind } = fields.values;
        return (
          <>
            <div className="form-row">
              <TextField label="Name" data-autofocus {...field("name")} />
              <AgentField agents={agents} {...field("agentId")} />
            </div>
            <TextField label="Message" hint="What the agent is asked each time." {...field("message")} />
            <SegmentedControl
              label="When"
              options={KINDS}
              value={kind}
              onChange={(next) => fields.onChange({ kind: next })}
              testIdPrefix="cron-kind"
            />
            {kind === "every" && <TextField label="Every (minutes)" inputMode="numeric" hint="1440 is once a day." {...field("minutes")} />}
            {kind === "cron" && (
              <div className="form-row">
                <MonoField label="Cron expression" hint="minute hour day-of-month month day-of-week (seconds first allowed)" {...field("expr")} />
                <TextField label="Time zone" hint="e.g. Europe/Berlin; empty: the gateway's." {...field("tz")} />
              </div>
            )}
            {kind === "at" && <MonoField label="At" hint="With its offset: 2026-12-24T18:00:00+01:00" {...field("at")} />}
            <NextRuns when={scheduleOf(fields.values)} job={job?.id ?? null} />
            <CheckboxChoice
              label="Scheduled"
              description="Off keeps the job without running it."
              checked={fields.values.enabled}
              onChange={(enabled) => fields.onChange({ enabled })}
              testId="cron-enabled"
            />
          </>
        );
      }}
    </FormDialog>
  );
}

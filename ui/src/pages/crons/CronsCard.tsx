import { useCallback, useState } from "react";
import { useBackend, type CronRow } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { Switch } from "../../components/Switch";
import { formatDuration, formatWhen } from "../../format/time";
import { useAction } from "../../hooks/useAction";
import { useAsync } from "../../hooks/useAsync";
import { CronDialog } from "./CronDialog";
import { CronRuns } from "./CronRuns";

/**
 * Every cron job: its schedule in words, agent, next run and last outcome; a switch to schedule
 * it or not, Run now, Edit, its runs with their cost, and Remove (asked first). OpenClaw's own
 * jobs (heartbeat…) are shown but refuse changes.
 */
export function CronsCard() {
  const backend = useBackend();
  const { state, reload, refresh } = useAsync(useCallback(() => backend.crons(), [backend]));
  const [dialog, setDialog] = useState<{ kind: "new" } | { kind: "edit" | "remove"; job: CronRow } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [now] = useState(() => Date.now());
  const toggle = useAction(useCallback((id: string, on: boolean) => backend.setCronEnabled(id, on), [backend]));
  const runNow = useAction(useCallback((id: string) => backend.runCron(id), [backend]));
  const remove = useAction(useCallback((id: string) => backend.removeCron(id), [backend]));
  const jobs = state.status === "ready" ? state.data : undefined;
  const close = () => setDialog(null);
  const error = toggle.error ?? runNow.error;
  return (
    <Card
      title="Cron jobs"
      description="Scheduled turns of your agents: when they run, how the last run went, and what each run cost."
      testId="crons"
      actions={
        <Button variant="ghost" icon="plus" onClick={() => setDialog({ kind: "new" })} data-testid="add-cron">
          New job
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["60%", "45%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="crons-error" />}
      {error && <ErrorPanel compact error={error} testId="cron-action-error" />}
      {jobs?.length === 0 && <p data-testid="crons-empty">No cron jobs. New job schedules a turn of an agent.</p>}
      {jobs && jobs.length > 0 && (
        <ul aria-label="Cron jobs" data-testid="cron-list">
          {jobs.map((job) => (
            <li key={job.id} className="list-row" data-testid="cron-row" data-job={job.id}>
              <div className="list-row-main">
                <div className="list-row-head">
                  <Switch
                    checked={job.enabled}
                    disabled={job.system || toggle.running}
                    aria-label={`Schedule ${job.name}`}
                    onChange={(on) => void toggle.run(job.id, on).then(() => refresh())}
                    data-testid="cron-switch"
                  />
                  <span className="list-row-name">{job.name}</span>
                  {job.system && <StatusBadge status="missing" label="OpenClaw's own" />}
                  {job.lastStatus && job.lastStatus !== "ok" && <StatusBadge status="error" label={`Last run: ${job.lastStatus}`} />}
                </div>
                <ul className="list-row-meta">
                  <li data-testid="cron-schedule">{job.scheduleWords}</li>
                  <li>agent {job.agentId ?? "default"}</li>
                  <li>{job.enabled && job.nextRunMs ? `next ${formatWhen(job.nextRunMs, now)}` : "not scheduled"}</li>
                  {job.lastRunMs && (
                    <li>
                      last {formatWhen(job.lastRunMs, now)}
                      {job.lastDurationMs !== null && ` (${formatDuration(Math.max(1, Math.round(job.lastDurationMs / 1000)))})`}
                    </li>
                  )}
                </ul>
                {job.lastError && <p className="list-row-detail">{job.lastError}</p>}
                {started === job.id && <p data-testid="cron-started">Started: its run appears below when it ends.</p>}
                {open === job.id && <CronRuns jobId={job.id} />}
              </div>
              <div className="list-row-actions">
                <Button
                  variant="ghost"
                  icon="play"
                  disabled={job.system || runNow.running}
                  onClick={() => void runNow.run(job.id).then((r) => r !== undefined && setStarted(job.id))}
                  data-testid="run-cron"
                >
                  Run now
                </Button>
                <Button variant="ghost" onClick={() => setOpen(open === job.id ? null : job.id)} data-testid="cron-runs-toggle">
                  {open === job.id ? "Hide runs" : "Runs"}
                </Button>
                {!job.system && (
                  <>
                    <Button variant="ghost" icon="pencil" onClick={() => setDialog({ kind: "edit", job })} data-testid="edit-cron">
                      Edit
                    </Button>
                    <Button variant="ghost" icon="trash" onClick={() => setDialog({ kind: "remove", job })} data-testid="remove-cron">
                      Remove
                    </Button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {dialog?.kind === "new" && <CronDialog onClose={close} onSaved={() => (close(), refresh())} />}
      {dialog?.kind === "edit" && <CronDialog job={dialog.job} onClose={close} onSaved={() => (close(), refresh())} />}
      {dialog?.kind === "remove" && (
        <ConfirmDialog
          title={`Remove “${dialog.job.name}”?`}
          confirmLabel="Remove"
          busyLabel="Removing…"
          busy={remove.running}
          error={remove.error}
          onCancel={close}
          onConfirm={() =>
            void remove.run(dialog.job.id).then((done) => {
              if (done === undefined) return;
              close();
              refresh();
            })
          }
          testId="remove-cron-dialog"
        >
          <p>It stops running and is deleted from OpenClaw. Its past runs stay in the ledger. Switch it off instead to keep it.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

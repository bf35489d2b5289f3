import { useCallback, useState } from "react";
import { useBackend, type ArchiveView, type Restored } from "../../backend";
import { Button } from "../../components/Button";
import { Callout } from "../../components/Callout";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { plural } from "../../format/number";
import { formatWhen } from "../../format/time";
import { useAction } from "../../hooks/useAction";
import type { AsyncResult } from "../../hooks/useAsync";
import { PurgeArchiveDialog } from "./PurgeArchiveDialog";

const STATE_BADGE = {
  archived: null,
  archiving: { status: "warn", label: "Archiving did not finish" },
  restoring: { status: "warn", label: "Restoring did not finish" },
  restored: { status: "ok", label: "Restored" },
} as const;

/** Props of {@link ArchivedCard}. */
export interface ArchivedCardProps {
  archives: AsyncResult<ArchiveView[]>;
  /** After a restore or purge. */
  onChanged: () => void;
}

/** The archived agents, newest first: Restore (under `<name>-2` when taken) and Purge (typed name). */
export function ArchivedCard({ archives, onChanged }: ArchivedCardProps) {
  const backend = useBackend();
  const { state, reload } = archives;
  const [purging, setPurging] = useState<ArchiveView | null>(null);
  const [restored, setRestored] = useState<Restored | null>(null);
  const restore = useAction(useCallback((id: string) => backend.restoreAgent(id), [backend]));
  const [now] = useState(() => Date.now());
  const rows = state.status === "ready" ? state.data : undefined;
  const restoreOne = (id: string) => {
    setRestored(null);
    void restore.run(id).then((result) => {
      if (result) {
        setRestored(result);
        onChanged();
      }
    });
  };
  return (
    <Card title="Archived" description="Agents you archived, with their files and cron jobs, ready to restore." testId="archived-agents">
      {state.status === "loading" && <SkeletonLines widths={["50%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="archived-error" />}
      {restore.error && <ErrorPanel compact error={restore.error} testId="restore-error" />}
      {restored && (
        <Callout testId="restored">
          Restored as <strong>{restored.name}</strong> ({restored.agentId}) with {plural(restored.cronJobs, "cron job")}.
          {restored.sessionsArchived && " Its old sessions stay in the archive: OpenClaw binds them to its old id."}
          {restored.newKeys.map((key) => (
            <span key={key} className="mono" data-testid="restored-key">
              {" "}
              New router key (shown once): {key}
            </span>
          ))}
        </Callout>
      )}
      {rows?.length === 0 && <p data-testid="archived-empty">No archived agents. Archive one above; it can come back.</p>}
      {rows && rows.length > 0 && (
        <ul aria-label="Archived agents" data-testid="archive-list">
          {rows.map((archive) => {
            const badge = STATE_BADGE[archive.state];
            const restorable = archive.state === "archived" || archive.state === "restoring";
            return (
              <li key={archive.id} className="list-row" data-testid="archive-row" data-archive={archive.id}>
                <div className="list-row-main">
                  <div className="list-row-head">
                    <span className="list-row-name">{archive.name}</span>
                    {badge && <StatusBadge status={badge.status} label={badge.label} />}
                  </div>
                  <ul className="list-row-meta">
                    <li>archived {formatWhen(archive.archivedMs, now)}</li>
                    <li>{plural(archive.cronJobs, "cron job")}</li>
                    {archive.restoredAs && <li>restored as {archive.restoredAs}; its old sessions are kept here</li>}
                    {archive.state === "archiving" && <li>archive the agent again to finish</li>}
                  </ul>
                </div>
                <div className="list-row-actions">
                  {restorable && (
                    <Button
                      variant="ghost"
                      icon="restore"
                      disabled={restore.running}
                      onClick={() => restoreOne(archive.id)}
                      data-testid="restore-agent"
                    >
                      {restore.running ? "Restoring…" : "Restore"}
                    </Button>
                  )}
                  <Button variant="ghost" icon="trash" onClick={() => setPurging(archive)} data-testid="purge-archive">
                    Purge
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {purging && (
        <PurgeArchiveDialog
          archive={purging}
          onClose={() => setPurging(null)}
          onPurged={() => {
            setPurging(null);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

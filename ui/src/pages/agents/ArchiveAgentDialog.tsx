import { useCallback } from "react";
import { useBackend, type AgentRow, type ArchiveView } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useAction } from "../../hooks/useAction";

/** Props of {@link ArchiveAgentDialog}. */
export interface ArchiveAgentDialogProps {
  agent: AgentRow;
  onClose: () => void;
  onArchived: (archive: ArchiveView) => void;
}

/** Asks before archiving an agent, saying what happens (and that restore undoes it). */
export function ArchiveAgentDialog({ agent, onClose, onArchived }: ArchiveAgentDialogProps) {
  const backend = useBackend();
  const { run, running, error } = useAction(useCallback((id: string) => backend.archiveAgent(id), [backend]));
  const confirm = () => {
    void run(agent.id).then((archive) => {
      if (archive) onArchived(archive);
    });
  };
  return (
    <ConfirmDialog
      title={`Archive “${agent.name}”?`}
      confirmLabel="Archive"
      busyLabel="Archiving…"
      onConfirm={confirm}
      onCancel={onClose}
      busy={running}
      error={error}
      testId="archive-agent-dialog"
    >
      <p>
        {agent.running ? "Its running turns are aborted, " : ""}its cron jobs are stopped and saved, and it is removed
        from OpenClaw. Its workspace and sessions move into Clawtower&apos;s archive.
      </p>
      <p>Its spend stays in the ledger. Restore brings it all back; nothing is deleted until you purge the archive.</p>
    </ConfirmDialog>
  );
}

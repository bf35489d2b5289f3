import { useCallback, useState } from "react";
import { useBackend, type ArchiveView } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { TextField } from "../../components/TextField";
import { useAction } from "../../hooks/useAction";

/** Props of {@link PurgeArchiveDialog}. */
export interface PurgeArchiveDialogProps {
  archive: ArchiveView;
  onClose: () => void;
  onPurged: () => void;
}

/** Purging cannot be undone: the agent's name must be typed out first. */
export function PurgeArchiveDialog({ archive, onClose, onPurged }: PurgeArchiveDialogProps) {
  const backend = useBackend();
  const [typed, setTyped] = useState("");
  const { run, running, error } = useAction(
    useCallback((confirm: string) => backend.purgeArchive(archive.id, confirm), [backend, archive.id]),
  );
  const matches = typed.trim() === archive.name || typed.trim() === archive.agentId;
  const confirm = () => {
    if (!matches) return;
    void run(typed).then((done) => {
      if (done !== undefined) onPurged();
    });
  };
  return (
    <ConfirmDialog
      title={`Purge the archive of “${archive.name}”?`}
      confirmLabel="Purge for good"
      busyLabel="Purging…"
      onConfirm={confirm}
      onCancel={onClose}
      busy={running || !matches}
      error={error}
      testId="purge-archive-dialog"
    >
      <p>
        Its workspace, sessions and saved cron jobs are deleted from this machine. This cannot be undone. Its spend
        stays in the ledger.
      </p>
      <TextField
        label={`Type ${archive.name} to confirm`}
        value={typed}
        onChange={setTyped}
        testId="purge-confirm-name"
        autoComplete="off"
      />
    </ConfirmDialog>
  );
}

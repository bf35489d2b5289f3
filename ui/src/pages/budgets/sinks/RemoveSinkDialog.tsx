import { useCallback } from "react";
import { useBackend, type SinkView } from "../../../backend";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { useAction } from "../../../hooks/useAction";

/** Props of {@link RemoveSinkDialog}. */
export interface RemoveSinkDialogProps {
  sink: SinkView;
  onClose: () => void;
  /** Called once the destination is removed. */
  onRemoved: () => void;
}

/**
 * Asks before removing an alert destination, saying why it cannot be undone (its secrets are
 * never returned, so adding it back means entering them again); removes it on Remove.
 */
export function RemoveSinkDialog({ sink, onClose, onRemoved }: RemoveSinkDialogProps) {
  const backend = useBackend();
  const { run, running, error } = useAction(useCallback((id: number) => backend.removeAlertSink(id), [backend]));
  const confirm = () => {
    void run(sink.id).then((result) => {
      if (result !== undefined) onRemoved();
    });
  };
  return (
    <ConfirmDialog
      title={`Remove “${sink.name}”?`}
      confirmLabel="Remove"
      busyLabel="Removing…"
      onConfirm={confirm}
      onCancel={onClose}
      busy={running}
      error={error}
      testId="remove-sink-dialog"
    >
      <p>
        Alerts will no longer go to <strong>{sink.target}</strong>.
      </p>
      <p>
        This cannot be undone: its secrets (webhook URL, token or password) are stored on this machine only
        and never shown again, so adding it back means entering them again.
      </p>
    </ConfirmDialog>
  );
}

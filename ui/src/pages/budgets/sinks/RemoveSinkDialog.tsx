import { useCallback } from "react";
import { useBackend, type SinkView } from "../../../backend";
import { ConfirmActionDialog } from "../../../components/ConfirmActionDialog";

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
  const remove = useCallback(() => backend.removeAlertSink(sink.id), [backend, sink.id]);
  return (
    <ConfirmActionDialog
      title={`Remove “${sink.name}”?`}
      confirmLabel="Remove"
      busyLabel="Removing…"
      action={remove}
      onClose={onClose}
      onDone={onRemoved}
      testId="remove-sink-dialog"
    >
      <p>
        Alerts will no longer go to <strong>{sink.target}</strong>.
      </p>
      <p>
        This cannot be undone: its secrets (webhook URL, token or password) are stored on this machine only
        and never shown again, so adding it back means entering them again.
      </p>
    </ConfirmActionDialog>
  );
}

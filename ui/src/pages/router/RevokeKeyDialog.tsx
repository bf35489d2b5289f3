import { useCallback } from "react";
import { useBackend, type KeyView } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useAction } from "../../hooks/useAction";

/** Props of {@link RevokeKeyDialog}. */
export interface RevokeKeyDialogProps {
  routerKey: KeyView;
  onClose: () => void;
  onRevoked: () => void;
}

/** Asks before revoking a key (it cannot be undone: the agent needs a new key). */
export function RevokeKeyDialog({ routerKey, onClose, onRevoked }: RevokeKeyDialogProps) {
  const backend = useBackend();
  const { run, running, error } = useAction(useCallback((id: number) => backend.revokeRouterKey(id), [backend]));
  const confirm = () => {
    void run(routerKey.id).then((result) => {
      if (result !== undefined) onRevoked();
    });
  };
  return (
    <ConfirmDialog
      title={`Revoke “${routerKey.name}”?`}
      confirmLabel="Revoke"
      busyLabel="Revoking…"
      onConfirm={confirm}
      onCancel={onClose}
      busy={running}
      error={error}
      testId="revoke-key-dialog"
    >
      <p>
        Calls made with <code>{routerKey.prefix}…</code> (agent <strong>{routerKey.agentId}</strong>) are refused
        from now on.
      </p>
      <p>This cannot be undone: the agent needs a new key to go on.</p>
    </ConfirmDialog>
  );
}

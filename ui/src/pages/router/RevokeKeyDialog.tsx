import { useCallback } from "react";
import { useBackend, type KeyView } from "../../backend";
import { ConfirmActionDialog } from "../../components/ConfirmActionDialog";

/** Props of {@link RevokeKeyDialog}. */
export interface RevokeKeyDialogProps {
  routerKey: KeyView;
  onClose: () => void;
  onRevoked: () => void;
}

/** Asks before revoking a key (it cannot be undone: the agent needs a new key). */
export function RevokeKeyDialog({ routerKey, onClose, onRevoked }: RevokeKeyDialogProps) {
  const backend = useBackend();
  const revoke = useCallback(() => backend.revokeRouterKey(routerKey.id), [backend, routerKey.id]);
  return (
    <ConfirmActionDialog
      title={`Revoke “${routerKey.name}”?`}
      confirmLabel="Revoke"
      busyLabel="Revoking…"
      action={revoke}
      onClose={onClose}
      onDone={onRevoked}
      testId="revoke-key-dialog"
    >
      <p>
        Calls made with <code>{routerKey.prefix}…</code> (agent <strong>{routerKey.agentId}</strong>) are refused
        from now on.
      </p>
      <p>This cannot be undone: the agent needs a new key to go on.</p>
    </ConfirmActionDialog>
  );
}

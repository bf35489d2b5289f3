import type { ReactNode } from "react";
import type { BackendError } from "../backend";
import { Dialog } from "./Dialog";
import { DialogFooter } from "./DialogFooter";
import { ErrorPanel } from "./ErrorPanel";

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  /** What will happen, and what cannot be undone. */
  children: ReactNode;
  /** Text of the confirming button, e.g. "Remove". */
  confirmLabel: string;
  /** Text of the confirming button while the action runs, e.g. "Removing…". */
  busyLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Disables the confirming button and shows `busyLabel`. */
  busy?: boolean;
  /** Why the last attempt failed. */
  error?: BackendError | null;
  testId?: string;
}

/** A small dialog asking to confirm an action that cannot be undone; Cancel has the focus. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  onConfirm,
  onCancel,
  busy = false,
  error = null,
  testId,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onCancel} testId={testId}>
      <div className="confirm-dialog-body">{children}</div>
      {error && <ErrorPanel compact error={error} testId="confirm-error" />}
      <DialogFooter
        onCancel={onCancel}
        focusCancel
        label={confirmLabel}
        busyLabel={busyLabel}
        busy={busy}
        onConfirm={onConfirm}
        testId="confirm"
      />
    </Dialog>
  );
}

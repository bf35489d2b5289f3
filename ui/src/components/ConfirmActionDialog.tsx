import type { ReactNode } from "react";
import { useAction } from "../hooks/useAction";
import { ConfirmDialog } from "./ConfirmDialog";

/** Props of {@link ConfirmActionDialog}. */
export interface ConfirmActionDialogProps {
  title: string;
  /** What will happen, and why it cannot be undone. */
  children: ReactNode;
  /** Text of the confirming button, e.g. "Remove". */
  confirmLabel: string;
  /** Text of the confirming button while the action runs, e.g. "Removing…". */
  busyLabel: string;
  /** The backend call the confirming button makes (a stable, `useCallback`-ed function). */
  action: () => Promise<unknown>;
  onClose: () => void;
  /** Called once the action succeeded (a failure stays in the dialog, with why). */
  onDone: () => void;
  testId?: string;
}

/**
 * A {@link ConfirmDialog} that runs one backend call on confirm: busy while it runs, why it
 * failed when it did, `onDone` when it succeeded.
 */
export function ConfirmActionDialog({ action, onDone, onClose, ...dialog }: ConfirmActionDialogProps) {
  const { run, running, error } = useAction(action);
  const confirm = () => {
    void run().then((result) => {
      if (result !== undefined) onDone();
    });
  };
  return <ConfirmDialog {...dialog} onConfirm={confirm} onCancel={onClose} busy={running} error={error} />;
}

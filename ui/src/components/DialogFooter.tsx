import { Button } from "./Button";

/** Props of {@link DialogFooter}. */
export interface DialogFooterProps {
  onCancel: () => void;
  /** Gives Cancel the focus when the dialog opens (to confirm something that cannot be undone). */
  focusCancel?: boolean;
  /** Text of the primary button, e.g. "Add rule". */
  label: string;
  /** Text of the primary button while its action runs, e.g. "Adding…". */
  busyLabel: string;
  /** Disables the primary button and shows `busyLabel`. */
  busy: boolean;
  /** What the primary button does; without it, it submits the dialog's form. */
  onConfirm?: () => void;
  /** Test id of the primary button. */
  testId: string;
}

/** The row of buttons that ends a dialog: Cancel, and the primary action (busy while it runs). */
export function DialogFooter({ onCancel, focusCancel, label, busyLabel, busy, onConfirm, testId }: DialogFooterProps) {
  return (
    <div className="dialog-footer">
      <Button onClick={onCancel} data-autofocus={focusCancel || undefined}>
        Cancel
      </Button>
      <Button
        type={onConfirm ? "button" : "submit"}
        variant="primary"
        onClick={onConfirm}
        disabled={busy}
        data-testid={testId}
      >
        {busy ? busyLabel : label}
      </Button>
    </div>
  );
}

import type { UndoableRemoval } from "../hooks/useUndoableRemoval";
import { Snackbar } from "./Snackbar";

/** Props of {@link UndoSnackbar}. */
export interface UndoSnackbarProps<T> {
  removal: UndoableRemoval<T>;
  /** What the notice says about the removed item. */
  message: (removed: T) => string;
  testId: string;
}

/** The Undo offer of a delete with undo, while there is something to put back. */
export function UndoSnackbar<T>({ removal, message, testId }: UndoSnackbarProps<T>) {
  if (removal.removed === null) return null;
  return (
    <Snackbar
      message={message(removal.removed)}
      actionLabel="Undo"
      onAction={removal.undo}
      onDismiss={removal.dismiss}
      busy={removal.restoring}
      testId={testId}
    />
  );
}

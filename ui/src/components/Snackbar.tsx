import { useEffect, useRef } from "react";
import { Button } from "./Button";
import "./Snackbar.css";

/** Props of {@link Snackbar}. */
export interface SnackbarProps {
  message: string;
  /** Text of the action button (e.g. "Undo"). */
  actionLabel: string;
  onAction: () => void;
  /** Called after `timeoutMs` or on the close button. */
  onDismiss: () => void;
  /** Defaults to 8 seconds. */
  timeoutMs?: number;
  /** Disables the action (while it runs). */
  busy?: boolean;
  testId?: string;
}

/**
 * A short-lived notice at the bottom of the window with one action, announced politely to
 * screen readers. It dismisses itself after `timeoutMs`; the timer restarts when `message` changes.
 */
export function Snackbar({
  message,
  actionLabel,
  onAction,
  onDismiss,
  timeoutMs = 8000,
  busy = false,
  testId,
}: SnackbarProps) {
  // The latest onDismiss, so a new function from the parent does not restart the timer.
  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  }, [onDismiss]);

  useEffect(() => {
    const timer = setTimeout(() => dismiss.current(), timeoutMs);
    return () => clearTimeout(timer);
  }, [message, timeoutMs]);

  return (
    <div className="snackbar" role="status" data-testid={testId}>
      <span className="snackbar-message">{message}</span>
      <Button variant="ghost" className="snackbar-action" onClick={onAction} disabled={busy}>
        {actionLabel}
      </Button>
      <Button variant="ghost" icon="close" aria-label="Dismiss" className="snackbar-close" onClick={onDismiss} />
    </div>
  );
}

import type { BackendError } from "../backend";
import { errorHint, errorTitle } from "../format/labels";
import { Button } from "./Button";
import { Icon } from "./Icon";
import "./ErrorPanel.css";

/** Props of {@link ErrorPanel}. */
export interface ErrorPanelProps {
  error: BackendError;
  /** Shows a Retry button calling this. */
  onRetry?: () => void;
  /** Defaults to "error-panel". */
  testId?: string;
  compact?: boolean;
}

/** A failed load: headline for the error code, the backend's message, the code, and Retry. */
export function ErrorPanel({ error, onRetry, testId = "error-panel", compact = false }: ErrorPanelProps) {
  const hint = errorHint(error.code);
  return (
    <div
      className={compact ? "error-panel error-panel-compact" : "error-panel"}
      role="alert"
      data-testid={testId}
      data-error-code={error.code}
    >
      <Icon name="alert" size={18} className="error-panel-icon" />
      <div className="error-panel-body">
        <div className="error-panel-title">
          {errorTitle(error.code)}
          <code className="error-panel-code" data-testid="error-code">
            {error.code}
          </code>
        </div>
        <p className="error-panel-message" data-testid="error-message">
          {error.message}
        </p>
        {hint && <p className="error-panel-hint">{hint}</p>}
      </div>
      {onRetry && (
        <Button icon="refresh" onClick={onRetry} data-testid="retry">
          Retry
        </Button>
      )}
    </div>
  );
}

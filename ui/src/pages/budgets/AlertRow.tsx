import type { Alert } from "../../backend";
import { Button } from "../../components/Button";
import { CodeText } from "../../components/CodeText";
import { Icon } from "../../components/Icon";
import { StatusBadge } from "../../components/StatusBadge";
import { alertKindBadge } from "../../format/budget";
import { formatWhen } from "../../format/time";
import "./AlertRow.css";

/** Props of {@link AlertRow}. */
export interface AlertRowProps {
  alert: Alert;
  onAcknowledge: () => void;
  /** Disables Acknowledge (while an acknowledgement runs). */
  busy?: boolean;
}

/**
 * One alert: its kind, title, body and time, a hint when the desktop notification was not
 * delivered, and Acknowledge (or "Acknowledged").
 */
export function AlertRow({ alert, onAcknowledge, busy = false }: AlertRowProps) {
  const badge = alertKindBadge(alert.kind);
  return (
    <li
      className={alert.acknowledged ? "list-row alert-row" : "list-row alert-row alert-row-new"}
      data-testid="alert-row"
      data-acknowledged={alert.acknowledged}
    >
      <StatusBadge status={badge.status} label={badge.label} testId="alert-kind" />
      <div className="alert-row-text">
        <div className="alert-row-title">{alert.title}</div>
        {alert.body && (
          <div className="alert-row-body">
            <CodeText text={alert.body} />
          </div>
        )}
        {!alert.delivered && (
          <div className="alert-row-undelivered" data-testid="alert-undelivered">
            <Icon name="bell" size={12} />
            <span>Not delivered to the desktop: check that notifications are allowed for Clawtower.</span>
          </div>
        )}
      </div>
      <div className="alert-row-side">
        <time className="alert-row-time num" dateTime={new Date(alert.tsMs).toISOString()} data-testid="alert-time">
          {formatWhen(alert.tsMs)}
        </time>
        {alert.acknowledged ? (
          <span className="alert-row-acknowledged">Acknowledged</span>
        ) : (
          <Button
            variant="ghost"
            icon="check"
            onClick={onAcknowledge}
            disabled={busy}
            aria-label={`Acknowledge: ${alert.title}`}
            data-testid="acknowledge"
          >
            Acknowledge
          </Button>
        )}
      </div>
    </li>
  );
}

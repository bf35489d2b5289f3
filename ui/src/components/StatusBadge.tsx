import type { CheckStatus } from "../backend";
import { checkStatusLabel } from "../format/labels";
import "./StatusBadge.css";

/** Props of {@link StatusBadge}. */
export interface StatusBadgeProps {
  status: CheckStatus;
  /** Text of the pill; defaults to the status's label ("OK", "Warning"…). */
  label?: string;
  /** Tooltip. */
  title?: string;
  testId?: string;
}

/** A coloured pill for a status (ok / warn / missing / error), e.g. a doctor check's. */
export function StatusBadge({ status, label = checkStatusLabel(status), title, testId }: StatusBadgeProps) {
  return (
    <span className={`status-badge status-${status}`} data-status={status} title={title} data-testid={testId}>
      <span className="status-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

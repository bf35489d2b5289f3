import type { CheckStatus } from "../backend";
import { checkStatusLabel } from "../format/labels";
import "./StatusBadge.css";

/** A coloured pill for a doctor check status (ok / warn / missing / error). */
export function StatusBadge({ status }: { status: CheckStatus }) {
  return (
    <span className={`status-badge status-${status}`} data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {checkStatusLabel(status)}
    </span>
  );
}

import type { SpendSummary } from "../../backend";
import { Icon } from "../../components/Icon";
import { formatClockTime } from "../../format/time";
import "./SpendMeta.css";

/** Header extras for the Overview: the tray's label as a pill and when the numbers were computed. */
export function SpendMeta({ summary }: { summary: SpendSummary }) {
  return (
    <div className="spend-meta">
      <span className="spend-meta-asof" title={`Spend windows use the ${summary.timeZone} calendar`}>
        As of{" "}
        <time className="num" dateTime={summary.asOf} data-testid="as-of">
          {formatClockTime(summary.asOf, summary.timeZone)}
        </time>
      </span>
      <span className="tray-pill" title="What the menu bar / tray shows">
        <Icon name="tray" size={13} />
        <span className="num" data-testid="tray-label">
          {summary.trayLabel}
        </span>
      </span>
    </div>
  );
}

import type { SpendSummary } from "../../backend";
import { useBudgetBoard } from "../../board/BudgetBoardContext";
import { Icon } from "../../components/Icon";
import { trayTitle } from "../../format/budget";
import { formatClockTime } from "../../format/time";
import "./SpendMeta.css";

/** Header extras for the Overview: the tray's title as a pill (as the tray shows it) and when the numbers were computed. */
export function SpendMeta({ summary }: { summary: SpendSummary }) {
  const board = useBudgetBoard().state;
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
          {trayTitle(board.status === "ready" ? board.data : null, summary.trayLabel)}
        </span>
      </span>
    </div>
  );
}

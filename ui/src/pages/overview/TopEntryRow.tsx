import type { TopEntry } from "../../backend";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { plural } from "../../format/number";
import "./TopEntryRow.css";

/** Props of {@link TopEntryRow}. */
export interface TopEntryRowProps {
  entry: TopEntry;
  /** What to show for the key; the full key is its tooltip. */
  label: string;
  /** Length of the bar relative to the list's top entry, from 0 to 1. */
  share: number;
}

/** One entry of a top list: name, cost, a proportional bar, calls and an unpriced-tokens badge. */
export function TopEntryRow({ entry, label, share }: TopEntryRowProps) {
  return (
    <li className="top-entry" data-testid="top-entry">
      <div className="top-entry-line">
        <span className="top-entry-key" title={entry.key} data-testid="top-entry-key">
          {label}
        </span>
        <span className="top-entry-cost num" data-testid="top-entry-cost">
          {formatUsd(entry.costUsd)}
        </span>
      </div>
      <div className="top-entry-bar" aria-hidden="true">
        <span className="top-entry-bar-fill" style={{ width: `${Math.round(share * 1000) / 10}%` }} />
      </div>
      <div className="top-entry-meta">
        <span className="num" data-testid="top-entry-calls">
          {plural(entry.calls, "call")}
        </span>
        {entry.unpricedTokens > 0 && (
          <StatusBadge
            status="warn"
            label="Unpriced"
            title={`${plural(entry.unpricedTokens, "token")} with no known price, not counted in the cost`}
            testId="top-entry-unpriced"
          />
        )}
      </div>
    </li>
  );
}

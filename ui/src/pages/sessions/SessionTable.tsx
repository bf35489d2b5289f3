import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { SessionRow } from "../../backend";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { SESSION_KINDS, SESSION_STATUS, sessionSeconds } from "../../format/session";
import { formatDuration, formatWhen } from "../../format/time";

/** Props of {@link SessionTable}. */
export interface SessionTableProps {
  rows: SessionRow[];
  /** Every matching session (more than `rows` while pages are still to load). */
  total: number;
  onOpen: (key: string) => void;
  /** Asked for the next page when the last rows come into view. */
  onNearEnd: () => void;
  nowMs: number;
}

const ROW_HEIGHT = 58;

/**
 * The sessions, one row each — agent, name, kind, status, models, calls, tokens, cost, last
 * activity and duration — rendering only the rows on screen (100,000 stay smooth).
 */
export function SessionTable({ rows, total, onOpen, onNearEnd, nowMs }: SessionTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Virtual's API returns functions the React Compiler cannot memoize; nothing here relies on that.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 900, height: 600 },
  });
  const items = virtual.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (rows.length < total && last >= rows.length - 20) onNearEnd();
  }, [last, rows.length, total, onNearEnd]);

  return (
    <div className="session-table" data-testid="session-table">
      <div className="session-table-head session-grid" aria-hidden="true">
        <span>Session</span>
        <span>Status</span>
        <span className="num">Calls</span>
        <span className="num">Tokens</span>
        <span className="num">Cost</span>
        <span>Last activity</span>
      </div>
      <div className="session-table-body" ref={scroller} data-testid="session-scroller">
        <div role="list" aria-label={`Sessions (${total})`} style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = rows[item.index];
            const status = SESSION_STATUS[row.status];
            const duration = sessionSeconds(row);
            return (
              <div role="listitem" key={row.key} className="session-table-row" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
              <button type="button" className="session-grid" onClick={() => onOpen(row.key)} data-testid="session-row" data-key={row.key}>
                <span className="session-name">
                  <span className="session-title">
                    <span className="session-agent">{row.agentId}</span> · {row.title}
                  </span>
                  {row.said ? (
                    <span className="session-meta session-said" data-testid="session-said">
                      “{row.said}”
                    </span>
                  ) : (
                    <span className="session-meta">
                      {SESSION_KINDS[row.kind]}
                      {row.channel && ` · ${row.channel}`}
                      {row.models.length > 0 && ` · ${row.models.join(", ")}`}
                      {row.children > 0 && ` · ${row.children} sub-agent${row.children === 1 ? "" : "s"}`}
                    </span>
                  )}
                </span>
                <span>
                  <StatusBadge status={status.badge} label={status.label} />
                </span>
                <span className="num">
                  {formatCount(row.calls)}
                  {row.unbilledCalls > 0 && <span className="session-meta"> +{formatCount(row.unbilledCalls)} unbilled</span>}
                </span>
                <span className="num">
                  {formatCount(row.tokens)}
                </span>
                <span className="num">
                  {formatUsd(row.costUsd)}
                </span>
                <span className="session-when">
                  {row.lastActivityMs !== null ? formatWhen(row.lastActivityMs, nowMs) : "—"}
                  {duration > 0 && <span className="session-meta"> · {formatDuration(duration)}</span>}
                </span>
              </button>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

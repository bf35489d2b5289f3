import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Timeline, TimelineEntry } from "../../backend";
import { SegmentedControl } from "../../components/SegmentedControl";
import { formatCallUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { usePaintedMark } from "../../hooks/useFirstPaintMark";
import { EntryRow } from "./EntryRow";
import { isPartial } from "./useTimeline";

/** Which entries to show. */
export type EntryFilter = "all" | "tools" | "errors";

/** Props of {@link TimelineView}. */
export interface TimelineViewProps {
  timeline: Timeline;
  /** The entry the address points at: scrolled to and marked. */
  entryId: string | null;
  onSelect: (id: string) => void;
  onOpenSession: (key: string) => void;
  onLink: (url: string) => void;
  nowMs: number;
}

const FILTERS = [
  { value: "all", label: "Everything" },
  { value: "tools", label: "Tools" },
  { value: "errors", label: "Errors" },
] as const;

/** Whether an entry passes the filter and the search. */
export function shows(entry: TimelineEntry, filter: EntryFilter, thinking: boolean, search: string): boolean {
  if (!thinking && entry.kind === "thinking") return false;
  if (filter === "tools" && entry.kind !== "toolCall" && entry.kind !== "toolResult") return false;
  if (filter === "errors" && entry.kind !== "error" && !entry.tool?.isError && !entry.call?.aborted) return false;
  if (!search) return true;
  const needle = search.toLocaleLowerCase();
  return (
    entry.text.toLocaleLowerCase().includes(needle) ||
    (entry.tool?.name.toLocaleLowerCase().includes(needle) ?? false) ||
    (entry.call?.model.toLocaleLowerCase().includes(needle) ?? false)
  );
}

/**
 * A session's timeline: every entry in order, filtered (tools only, errors only, thinking on or
 * off) and searched; only the entries on screen are rendered, each measured, so a 100,000-entry
 * session stays smooth. Turns (a user message and what followed) carry their tokens and cost.
 */
export function TimelineView({ timeline, entryId, onSelect, onOpenSession, onLink, nowMs }: TimelineViewProps) {
  usePaintedMark("session-timeline", timeline.sessionKey);
  // Only its first entries while the rest is read: filters and search wait for all of them.
  const partial = isPartial(timeline);
  const [filter, setFilter] = useState<EntryFilter>("all");
  const [thinking, setThinking] = useState(true);
  const [search, setSearch] = useState("");
  const visible = useMemo(
    () => timeline.entries.filter((e) => shows(e, filter, thinking, search.trim())),
    [timeline.entries, filter, thinking, search],
  );
  const turns = useMemo(() => turnTotals(timeline.entries), [timeline.entries]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 96,
    overscan: 6,
    getItemKey: (i) => visible[i].id,
    initialRect: { width: 900, height: 700 },
  });

  // Scroll to the entry the address names (once it is among the visible ones).
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!entryId || scrolledTo.current === entryId) return;
    const index = visible.findIndex((e) => e.id === entryId);
    if (index >= 0) {
      scrolledTo.current = entryId;
      virtual.scrollToIndex(index, { align: "center" });
    }
  }, [entryId, visible, virtual]);

  const jump = (id: string) => {
    if (!visible.some((e) => e.id === id)) {
      setFilter("all");
      setSearch("");
    }
    scrolledTo.current = null;
    onSelect(id);
  };

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-bar">
        <SegmentedControl label="Show" options={FILTERS} value={filter} onChange={setFilter} testIdPrefix="timeline-filter" disabled={partial} />
        <label className="timeline-check">
          <input type="checkbox" checked={thinking} onChange={(e) => setThinking(e.target.checked)} data-testid="show-thinking" disabled={partial} />
          Thinking
        </label>
        <input
          className="input timeline-search"
          type="search"
          placeholder="Search this session"
          aria-label="Search this session"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="timeline-search"
          disabled={partial}
        />
        <span className="timeline-count" data-testid="timeline-count">
          {partial
            ? `First ${formatCount(timeline.entries.length)}${timeline.totalEntries === null ? "" : ` of ${formatCount(timeline.totalEntries)}`} entries, reading the rest…`
            : visible.length === timeline.entries.length
              ? `${formatCount(timeline.entries.length)} entries`
              : `${formatCount(visible.length)} of ${formatCount(timeline.entries.length)} entries`}
        </span>
      </div>
      {timeline.skipped > 0 && (
        <p className="entry-cut" data-testid="timeline-skipped">
          {formatCount(timeline.skipped)} lines of the transcript could not be read and are not shown.
        </p>
      )}
      {visible.length === 0 ? (
        <p className="empty-note" data-testid="timeline-empty">
          {timeline.entries.length === 0 ? "This transcript has no entries yet." : "No entry matches."}
        </p>
      ) : (
        <div className="timeline-scroller" ref={scroller} data-testid="timeline-scroller">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((item) => {
              const entry = visible[item.index];
              const turn = turns.get(entry.id);
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtual.measureElement}
                  className="timeline-item"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {turn && (
                    <div className="turn-head" data-testid="turn-head">
                      Turn {turn.number}: {formatCount(turn.calls)} {turn.calls === 1 ? "call" : "calls"}, {formatCount(turn.tokens)} tokens,{" "}
                      {formatCallUsd(turn.cost)}
                    </div>
                  )}
                  <EntryRow
                    sessionKey={timeline.sessionKey}
                    entry={entry}
                    selected={entry.id === entryId}
                    nowMs={nowMs}
                    onJump={jump}
                    onOpenSession={onOpenSession}
                    onLink={onLink}
                  />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

/** A turn: a user message and everything until the next one. */
interface Turn {
  number: number;
  calls: number;
  tokens: number;
  cost: number;
}

/** Each turn's totals, keyed by the id of the user message that starts it. */
function turnTotals(entries: TimelineEntry[]): Map<string, Turn> {
  const turns = new Map<string, Turn>();
  let current: Turn | null = null;
  for (const entry of entries) {
    if (entry.kind === "user") {
      current = { number: turns.size + 1, calls: 0, tokens: 0, cost: 0 };
      turns.set(entry.id, current);
    } else if (current && entry.call && entry.call.costUsd !== null) {
      const c = entry.call;
      current.calls += 1;
      current.tokens += c.inputTokens + c.outputTokens + c.cacheReadTokens + c.cacheWriteTokens;
      current.cost += c.costUsd ?? 0;
    }
  }
  return turns;
}

import type { TopEntry } from "../../backend";
import { SkeletonLines } from "../../components/SkeletonLines";
import { TopEntryRow } from "./TopEntryRow";
import "./TopList.css";

/** Props of {@link TopList}. */
export interface TopListProps {
  title: string;
  /** The entries, most expensive first; undefined while loading. */
  entries: TopEntry[] | undefined;
  /** Put on the list element. */
  testId: string;
  /** Display name of a key (defaults to the key itself). */
  label?: (key: string) => string;
}

const SKELETON_WIDTHS = ["85%", "70%", "55%"];

/**
 * Each entry's bar length relative to the largest one: by cost, or by tokens when nothing in
 * the list has a price (so a list of unpriced entries still shows their weight).
 */
function shares(entries: TopEntry[]): number[] {
  const byCost = entries.some((e) => (e.costUsd ?? 0) > 0);
  const measure = (e: TopEntry) => Math.max(0, byCost ? (e.costUsd ?? 0) : e.tokens);
  const top = Math.max(0, ...entries.map(measure));
  return entries.map((e) => (top > 0 ? measure(e) / top : 0));
}

/** One column of the Top spenders card: a heading and its ranked entries (or a skeleton). */
export function TopList({ title, entries, testId, label = (key) => key }: TopListProps) {
  const bars = shares(entries ?? []);
  return (
    <div className="top-list">
      <h3 className="card-subtitle">{title}</h3>
      {entries === undefined ? (
        <SkeletonLines widths={SKELETON_WIDTHS} />
      ) : (
        <ol className="top-list-entries" data-testid={testId} aria-label={title}>
          {entries.map((entry, i) => (
            <TopEntryRow key={entry.key} entry={entry} label={label(entry.key)} share={bars[i] ?? 0} />
          ))}
          {entries.length === 0 && <li className="top-list-none">None</li>}
        </ol>
      )}
    </div>
  );
}

import { useState } from "react";
import { Link } from "react-router-dom";
import type { UsageRow, UsageView } from "../../backend";
import { Icon } from "../../components/Icon";
import { SegmentedControl } from "../../components/SegmentedControl";
import { formatUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { SESSION_KINDS } from "../../format/session";
import { formatPercent, formatTokensShort } from "../../format/usage";

/** The tables of the Usage page. */
export const USAGE_TABLES = { agents: "Agents", models: "Models", providers: "Providers", sessions: "Sessions", cronJobs: "Cron jobs" } as const;
/** One table of the Usage page. */
export type UsageTable = keyof typeof USAGE_TABLES;

/** The first column's header per table. */
const NAME_HEADER: Readonly<Record<UsageTable, string>> = { agents: "Agent", models: "Model", providers: "Provider", sessions: "Session", cronJobs: "Cron job" };

/** A sortable column. */
type Column = "name" | "calls" | "tokens" | "cost" | "cacheHit" | "saved" | "whatIf";

const SORT_VALUE: Readonly<Record<Column, (row: UsageRow) => number | string>> = {
  name: (r) => r.label.toLowerCase(),
  calls: (r) => r.totals.calls,
  tokens: (r) => r.totals.totalTokens,
  cost: (r) => r.totals.costUsd ?? 0,
  cacheHit: (r) => r.cacheHitRatio ?? -1,
  saved: (r) => r.cacheSavedUsd ?? -Infinity,
  whatIf: (r) => r.whatIfUsd ?? -Infinity,
};

/** `rows` ordered by `column`, largest first (names A→Z), reversed when not `descending`. */
export function sortRows(rows: readonly UsageRow[], column: Column, descending: boolean): UsageRow[] {
  const value = SORT_VALUE[column];
  const natural = column === "name" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const order = x < y ? -1 : x > y ? 1 : a.key.localeCompare(b.key);
    return order * natural * (descending ? 1 : -1);
  });
}

/** Props of {@link UsageTables}. */
export interface UsageTablesProps {
  view: UsageView;
  table: UsageTable;
  onTable: (table: UsageTable) => void;
}

/** Agents, models, providers, sessions and cron jobs of the window, each sortable by any column. */
export function UsageTables({ view, table, onTable }: UsageTablesProps) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: "cost", descending: true });
  const rows = sortRows(view[table], sort.column, sort.descending);
  const total = view.totals.totals.costUsd ?? 0;
  const whatIf = view.whatIf !== null;
  const header = (column: Column, text: string, numeric = true) => {
    const active = sort.column === column;
    // Names read A→Z first; numbers largest first.
    const direction = sort.descending === (column !== "name") ? "descending" : "ascending";
    return (
      <th scope="col" className={numeric ? "num" : undefined} aria-sort={active ? direction : "none"}>
        <button
          type="button"
          className="usage-sort"
          onClick={() => setSort({ column, descending: active ? !sort.descending : true })}
          data-testid={`usage-sort-${column}`}
        >
          {text}
          {active && <Icon name={direction === "descending" ? "chevronDown" : "chevronUp"} size={12} />}
        </button>
      </th>
    );
  };
  return (
    <div className="usage-tables">
      <SegmentedControl label="Table" options={Object.entries(USAGE_TABLES).map(([value, label]) => ({ value: value as UsageTable, label }))} value={table} onChange={onTable} testIdPrefix="usage-table" />
      {table === "sessions" && view.sessionCount > view.sessions.length && (
        <p className="empty-note" data-testid="usage-sessions-note">
          The {view.sessions.length} most expensive of {formatCount(view.sessionCount)} sessions with usage in this window.
        </p>
      )}
      {rows.length === 0 ? (
        <p className="empty-note" data-testid="usage-table-empty">
          {table === "cronJobs" ? "No cron job ran a model in this window." : "Nothing in this window."}
        </p>
      ) : (
        <div className="usage-table-scroll">
          <table className="usage-table" data-testid="usage-table">
            <thead>
              <tr>
                {header("name", NAME_HEADER[table], false)}
                {header("calls", "Calls")}
                {header("tokens", "Tokens")}
                {header("cost", "Cost")}
                <th scope="col" className="num">
                  Share
                </th>
                {header("cacheHit", "From cache")}
                {header("saved", "Cache saved")}
                {whatIf && header("whatIf", "What if")}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <UsageTableRow key={row.key} row={row} table={table} total={total} whatIf={whatIf} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function UsageTableRow({ row, table, total, whatIf }: { row: UsageRow; table: UsageTable; total: number; whatIf: boolean }) {
  const t = row.totals;
  const unbilled = t.abortedCalls + t.failedCalls;
  return (
    <tr data-testid="usage-row" data-key={row.key}>
      <th scope="row" className="usage-name">
        {table === "sessions" ? (
          <Link to={`/sessions?key=${encodeURIComponent(row.key)}`} className="usage-session-link">
            {row.label}
          </Link>
        ) : (
          <span>{row.label}</span>
        )}
        {table === "sessions" && (
          <span className="usage-sub">
            {row.agentId ?? "?"}
            {row.kind && ` · ${SESSION_KINDS[row.kind]}`}
          </span>
        )}
        {table === "models" && (
          <span className="usage-sub" data-testid="usage-priced-by">
            {row.pricedBy ? `Priced by ${row.pricedBy}` : "No list price"}
            {t.reportedCostUsd !== null && t.bookCostUsd !== null && t.bookCostUsd > 0 && Math.abs(t.reportedCostUsd - t.bookCostUsd) >= 0.005 && (
              <> · OpenClaw reported {formatUsd(t.reportedCostUsd)}, price book {formatUsd(t.bookCostUsd)}</>
            )}
          </span>
        )}
        {row.unpricedReason && (
          <span className="usage-unpriced" data-testid="usage-unpriced-reason">
            <Icon name="alert" size={12} /> {formatCount(t.unpricedTokens)} tokens unpriced. {row.unpricedReason}
          </span>
        )}
      </th>
      <td className="num">
        {formatCount(t.calls)}
        {unbilled > 0 && <span className="usage-sub">+{formatCount(unbilled)} not billed</span>}
      </td>
      <td className="num" title={`${formatCount(t.totalTokens)} tokens`}>
        {formatTokensShort(t.totalTokens)}
      </td>
      <td className="num">{formatUsd(t.costUsd)}</td>
      <td className="num">{total > 0 ? formatPercent((t.costUsd ?? 0) / total) : "—"}</td>
      <td className="num">{formatPercent(row.cacheHitRatio)}</td>
      <td className="num">{row.cacheSavedUsd === null ? "—" : formatUsd(row.cacheSavedUsd)}</td>
      {whatIf && <td className="num">{formatUsd(row.whatIfUsd)}</td>}
    </tr>
  );
}

import type { SessionQuery, SessionSort, SessionStatus } from "../../backend";
import { FormField } from "../../components/FormField";
import { SelectField } from "../../components/SelectField";
import { SESSION_KINDS, SESSION_STATUS } from "../../format/session";
import type { SessionListState } from "./useSessionList";

const RANGES = { any: "Any time", d1: "Last 24 hours", d7: "Last 7 days", d30: "Last 30 days", d90: "Last 90 days" } as const;
/** How recently a session was active. */
export type ActiveRange = keyof typeof RANGES;
const DAY_MS = 86_400_000;

/** The filters a user sets (the page and its size are the list's; the time range is relative). */
export type SessionFilter = Omit<SessionQuery, "offset" | "limit" | "sinceMs" | "untilMs"> & { range?: ActiveRange };

/** The query for a filter, its time range counted back from now. */
export function queryOf({ range, ...filter }: SessionFilter, nowMs: number = Date.now()): SessionQuery {
  return { ...filter, sinceMs: !range || range === "any" ? null : nowMs - Number(range.slice(1)) * DAY_MS };
}

/** Props of {@link SessionFilters}. */
export interface SessionFiltersProps {
  filter: SessionFilter;
  choices: SessionListState["choices"];
  onChange: (next: SessionFilter) => void;
}

const STATUS_CHOICES = {
  "": "Any status",
  ...Object.fromEntries(Object.entries(SESSION_STATUS).map(([k, v]) => [k, v.label])),
} as Readonly<Record<SessionStatus | "", string>>;

const SORTS: Readonly<Record<SessionSort, string>> = {
  activity: "Latest activity",
  cost: "Most expensive",
  tokens: "Most tokens",
  started: "Latest started",
};

/** `{ "": all, value: value… }` for a list of values. */
function withAll(all: string, values: string[]): Record<string, string> {
  return Object.fromEntries<string>([["", all], ...values.map((v): [string, string] => [v, v])]);
}

/** The sessions filter bar: search, agent, status, kind, model, channel, time range, minimum cost and order. */
export function SessionFilters({ filter, choices, onChange }: SessionFiltersProps) {
  const set = (patch: Partial<SessionFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="session-filters" role="search" aria-label="Filter sessions">
      <FormField label="Search" className="filter-search">
        {(control) => (
          <input
            {...control}
            className="input"
            type="search"
            placeholder="Name, key or what was said"
            value={filter.search ?? ""}
            onChange={(e) => set({ search: e.target.value || null })}
            data-testid="session-search"
          />
        )}
      </FormField>
      <SelectField label="Agent" value={filter.agent ?? ""} options={withAll("All agents", choices.agents)} onChange={(v) => set({ agent: v || null })} testId="filter-agent" />
      <SelectField
        label="Status"
        value={filter.status ?? ""}
        options={STATUS_CHOICES}
        onChange={(v) => set({ status: v || null })}
        testId="filter-status"
      />
      <SelectField label="Kind" value={filter.kind ?? ""} options={{ "": "Any kind", ...SESSION_KINDS }} onChange={(v) => set({ kind: v || null })} testId="filter-kind" />
      <SelectField label="Model" value={filter.model ?? ""} options={withAll("Any model", choices.models)} onChange={(v) => set({ model: v || null })} testId="filter-model" />
      {choices.channels.length > 0 && (
        <SelectField label="Channel" value={filter.channel ?? ""} options={withAll("Any channel", choices.channels)} onChange={(v) => set({ channel: v || null })} testId="filter-channel" />
      )}
      <SelectField label="Active" value={filter.range ?? "any"} options={RANGES} onChange={(range) => set({ range })} testId="filter-range" />
      <FormField label="Cost at least ($)" className="filter-cost">
        {(control) => (
          <input
            {...control}
            className="input"
            type="number"
            min={0}
            step="0.01"
            inputMode="decimal"
            placeholder="any"
            value={filter.minCostUsd ?? ""}
            onChange={(e) => set({ minCostUsd: e.target.value === "" ? null : Math.max(0, Number(e.target.value)) })}
            data-testid="filter-min-cost"
          />
        )}
      </FormField>
      <SelectField label="Order" value={filter.sort ?? "activity"} options={SORTS} onChange={(sort) => set({ sort })} testId="filter-sort" />
    </div>
  );
}

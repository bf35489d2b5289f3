import { useState } from "react";
import type { SpendPeriod, TopSpend } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SegmentedControl, type SegmentOption } from "../../components/SegmentedControl";
import { sessionLabel } from "../../format/sessionKey";
import { useTopSpend } from "../../hooks/useTopSpend";
import { TopList, type TopListProps } from "./TopList";
import "./TopSpendersCard.css";

const PERIOD_OPTIONS: readonly SegmentOption<SpendPeriod>[] = [
  { value: "day", label: "Today" },
  { value: "week", label: "This week" },
  { value: "month", label: "This month" },
];

const EMPTY_MESSAGES: Record<SpendPeriod, string> = {
  day: "No model calls today yet.",
  week: "No model calls this week yet.",
  month: "No model calls this month yet.",
};

type ListField = Exclude<keyof TopSpend, "period">;

const COLUMNS: readonly (Omit<TopListProps, "entries"> & { field: ListField })[] = [
  { field: "agents", title: "Agents", testId: "top-agents" },
  { field: "models", title: "Models", testId: "top-models" },
  { field: "sessions", title: "Sessions", testId: "top-sessions", label: sessionLabel },
];

function isEmpty(top: TopSpend): boolean {
  return COLUMNS.every(({ field }) => top[field].length === 0);
}

/** The "Top spenders" card: the costliest agents, models and sessions of today, this week or this month. */
export function TopSpendersCard() {
  const [period, setPeriod] = useState<SpendPeriod>("day");
  const { state, reload } = useTopSpend(period);
  const top = state.status === "ready" ? state.data : undefined;

  return (
    <Card
      title="Top spenders"
      description="The agents, models and sessions that cost the most."
      testId="top-spenders"
      actions={
        <SegmentedControl
          label="Period"
          options={PERIOD_OPTIONS}
          value={period}
          onChange={setPeriod}
          testIdPrefix="top-period"
        />
      }
    >
      {state.status === "error" ? (
        <ErrorPanel compact error={state.error} onRetry={reload} testId="top-spend-error" />
      ) : top && isEmpty(top) ? (
        <p className="top-spenders-empty" data-testid="top-empty">
          {EMPTY_MESSAGES[period]}
        </p>
      ) : (
        <div className="card-columns top-spenders-columns" aria-busy={top === undefined}>
          {COLUMNS.map(({ field, ...column }) => (
            <TopList key={field} {...column} entries={top?.[field]} />
          ))}
        </div>
      )}
    </Card>
  );
}

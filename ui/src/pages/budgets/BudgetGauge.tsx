import type { BudgetStatus } from "../../backend";
import { formatPercent } from "../../format/budget";
import "./BudgetGauge.css";

/** How far past the limit the gauge stretches at most, in percent. */
const MAX_SCALE = 200;

/** Position of `percent` on a gauge spanning 0 to `scale` percent, as a CSS length. */
function at(percent: number, scale: number): string {
  return `${Math.round((percent / scale) * 1000) / 10}%`;
}

/**
 * A budget's gauge: a bar filled to the percent spent and coloured by level, with a marker at
 * the limit (100 %) and a tick at each other threshold. The scale stretches past 100 % to show
 * thresholds above the limit and overspend (up to 200 %).
 */
export function BudgetGauge({ status }: { status: BudgetStatus }) {
  const percent = Math.max(0, status.percent ?? 0);
  // Saved budgets always have thresholds: the engine stores 50/80/100 for an empty list.
  const { thresholds } = status.budget;
  const scale = Math.max(100, ...thresholds, Math.min(percent, MAX_SCALE));
  return (
    <div
      className="budget-gauge"
      role="meter"
      aria-label="Spent of the limit"
      aria-valuemin={0}
      aria-valuemax={scale}
      aria-valuenow={Math.min(percent, scale)}
      aria-valuetext={`${status.label} (${formatPercent(percent)})`}
      data-level={status.level}
      data-testid="budget-gauge"
    >
      <span className="budget-gauge-fill" style={{ width: at(Math.min(percent, scale), scale) }} />
      {thresholds
        .filter((t) => t !== 100)
        .map((t) => (
          <span
            key={t}
            className="budget-gauge-tick"
            style={{ left: at(t, scale) }}
            title={`${t}%`}
            data-testid="budget-gauge-tick"
          />
        ))}
      <span
        className="budget-gauge-limit"
        style={{ left: at(100, scale) }}
        title="Limit"
        data-testid="budget-gauge-limit"
      />
    </div>
  );
}

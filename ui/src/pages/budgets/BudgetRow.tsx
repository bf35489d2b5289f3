import type { BudgetStatus } from "../../backend";
import { Button } from "../../components/Button";
import { Callout } from "../../components/Callout";
import { StatusBadge } from "../../components/StatusBadge";
import { formatBurnRate, formatPercent, scopeLabel, windowPhrase } from "../../format/budget";
import { formatWhen } from "../../format/time";
import { BudgetGauge } from "./BudgetGauge";
import "./BudgetRow.css";

/** Props of {@link BudgetRow}. */
export interface BudgetRowProps {
  status: BudgetStatus;
  onEdit: () => void;
  onDelete: () => void;
  /** Disables Delete (while a removal runs). */
  deleting?: boolean;
}

/**
 * One budget: name, "paused" badge, spent / limit and percent, the live gauge, then what it
 * covers, its period, what happens at the limit, the burn rate and the projection; Edit and Delete.
 * A budget the engine could not check shows why in place of the gauge.
 */
export function BudgetRow({ status, onEdit, onDelete, deleting = false }: BudgetRowProps) {
  const { budget } = status;
  const resets = status.rollsOverAtMs === null ? undefined : `Starts again ${formatWhen(status.rollsOverAtMs)}`;
  return (
    <li className="list-row budget-row" data-testid="budget-row" data-level={status.level}>
      <div className="budget-row-head">
        <div className="budget-row-title">
          <span className="budget-row-name" data-testid="budget-row-name">
            {budget.name}
          </span>
          {status.paused && <StatusBadge status="error" label="Paused" testId="budget-paused" />}
          {status.problem !== null && <StatusBadge status="warn" label="Not enforced" testId="budget-unenforced" />}
        </div>
        <div className="budget-row-figures num">
          <span data-testid="budget-label">{status.label}</span>
          <span className="budget-row-percent" data-testid="budget-percent">
            {formatPercent(status.percent)}
          </span>
        </div>
      </div>
      {status.problem === null ? (
        <BudgetGauge status={status} />
      ) : (
        <Callout tone="warn" testId="budget-problem">
          This budget could not be checked on the last pass ({status.problem}). The others are still
          enforced; it is checked again every few seconds.
        </Callout>
      )}
      <div className="budget-row-foot">
        <ul className="budget-row-meta">
          <li data-testid="budget-scope">{scopeLabel(budget.scope)}</li>
          <li data-testid="budget-window" title={resets}>
            {windowPhrase(budget.window)}
          </li>
          <li>{budget.action === "pause" ? "pauses at the limit" : "alerts only"}</li>
          <li className="num" data-testid="budget-burn" title="Spend over the last hour">
            {formatBurnRate(status.burnUsdPerHour)}
          </li>
          {status.projection && <li data-testid="budget-projection">{status.projection}</li>}
        </ul>
        <div className="list-row-actions">
          <Button variant="ghost" icon="pencil" onClick={onEdit} aria-label={`Edit ${budget.name}`}>
            Edit
          </Button>
          <Button
            variant="ghost"
            icon="trash"
            onClick={onDelete}
            disabled={deleting}
            aria-label={`Delete ${budget.name}`}
          >
            Delete
          </Button>
        </div>
      </div>
    </li>
  );
}

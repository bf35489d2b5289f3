import { Button } from "../../components/Button";
import { Icon } from "../../components/Icon";
import "./BudgetsEmpty.css";

/** Empty state of the budget list: what budgets do, and a button to create the first one. */
export function BudgetsEmpty({ onNew }: { onNew: () => void }) {
  return (
    <div className="budgets-empty" data-testid="budgets-empty">
      <div className="icon-tile budgets-empty-icon">
        <Icon name="budgets" size={22} />
      </div>
      <p className="budgets-empty-title">No budgets yet</p>
      <p className="budgets-empty-text">
        A budget is a spending limit for a day, a week, a month or the last few hours, on all spend or
        on one agent, model, provider, session or cron job. Clawtower alerts you as spend crosses its
        thresholds and can pause the gateway when the limit is reached.
      </p>
      <Button variant="primary" icon="plus" onClick={onNew}>
        New budget
      </Button>
    </div>
  );
}

import type { Budget, BudgetBoard } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import type { AsyncState } from "../../hooks/useAsync";
import { BudgetRow } from "./BudgetRow";
import { BudgetsEmpty } from "./BudgetsEmpty";

/** Props of {@link BudgetsCard}. */
export interface BudgetsCardProps {
  state: AsyncState<BudgetBoard>;
  onRetry: () => void;
  onNew: () => void;
  onEdit: (budget: Budget) => void;
  onDelete: (budget: Budget) => void;
  /** Disables the Delete buttons (while a removal runs). */
  deleting?: boolean;
}

/** The budget list with its loading, error (with Retry) and empty states. */
export function BudgetsCard({ state, onRetry, onNew, onEdit, onDelete, deleting }: BudgetsCardProps) {
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={onRetry} />;
  const budgets = state.status === "ready" ? state.data.budgets : undefined;
  return (
    <Card title="Budgets" description="Spend against each limit, live." testId="budgets-card">
      {budgets === undefined && <SkeletonLines widths={["90%", "75%", "90%", "60%"]} />}
      {budgets?.length === 0 && <BudgetsEmpty onNew={onNew} />}
      {budgets && budgets.length > 0 && (
        <ul className="budget-list" data-testid="budget-list" aria-label="Budgets">
          {budgets.map((status) => (
            <BudgetRow
              key={status.budget.id}
              status={status}
              onEdit={() => onEdit(status.budget)}
              onDelete={() => onDelete(status.budget)}
              deleting={deleting}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

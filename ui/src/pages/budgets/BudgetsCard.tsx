import type { Budget, BudgetBoard } from "../../backend";
import { Callout } from "../../components/Callout";
import { Card } from "../../components/Card";
import { CodeText } from "../../components/CodeText";
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

/**
 * The budget list with its loading, error (with Retry) and empty states, and a notice for each
 * stored budget that cannot be read (the engine enforces the others).
 */
export function BudgetsCard({ state, onRetry, onNew, onEdit, onDelete, deleting }: BudgetsCardProps) {
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={onRetry} />;
  const budgets = state.status === "ready" ? state.data.budgets : undefined;
  const unusable = state.status === "ready" ? state.data.unusable : [];
  return (
    <Card title="Budgets" description="Spend against each limit, live." testId="budgets-card">
      {budgets === undefined && <SkeletonLines widths={["90%", "75%", "90%", "60%"]} />}
      {unusable.map((u) => (
        <Callout key={u.id} tone="warn" testId="budget-unusable">
          <CodeText
            text={`Budget #${u.id} is stored but cannot be read, so it is not enforced (${u.why}). Remove it with \`clawtower budget rm ${u.id}\` and set it again.`}
          />
        </Callout>
      ))}
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

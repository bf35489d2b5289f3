import { useCallback, useState } from "react";
import { useBackend, type Anomaly, type Budget } from "../backend";
import { useBudgetBoard } from "../board/BudgetBoardContext";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Page } from "../components/Page";
import { UndoSnackbar } from "../components/UndoSnackbar";
import { anomalyRulePhrase } from "../format/anomaly";
import { useAction } from "../hooks/useAction";
import { useAnomalyRemoval } from "../hooks/useAnomalyRemoval";
import { useAsync } from "../hooks/useAsync";
import { useBudgetRemoval } from "../hooks/useBudgetRemoval";
import { routeByName } from "../routes";
import { AlertHistoryCard } from "./budgets/AlertHistoryCard";
import { AnomalyRulesCard } from "./budgets/anomalies/AnomalyRulesCard";
import { BudgetDialog } from "./budgets/BudgetDialog";
import { BudgetsCard } from "./budgets/BudgetsCard";
import { PauseAllButton } from "./budgets/PauseAllButton";
import { PausedBanner } from "./budgets/PausedBanner";
import { SinksCard } from "./budgets/sinks/SinksCard";

const ROUTE = routeByName("budgets");

/** Which budget the dialog edits (null: a new one), when it is open. */
type Editing = { budget: Budget | null } | null;

/**
 * Budgets: Pause all (while the gateway is live) and New budget; the paused banner with Resume
 * while something is paused; every budget with its live gauge, Edit and Delete (with undo); the
 * anomaly rules (Remove with undo); the alert history; and where alerts go besides the desktop.
 *
 * The board is live: every budget, pause and resume command makes the backend push
 * `budget-board-changed`, so nothing here fetches it again. Anomaly rules send no event: their
 * list is fetched again after each change.
 */
export function BudgetsPage() {
  const backend = useBackend();
  const { state, reload } = useBudgetBoard();
  const [editing, setEditing] = useState<Editing>(null);
  const pauseAll = useAction(useCallback(() => backend.pauseAll(), [backend]));
  const loadRules = useCallback(() => backend.anomalyRules(), [backend]);
  const rules = useAsync(loadRules);
  const budgetRemoval = useBudgetRemoval();
  const ruleRemoval = useAnomalyRemoval(rules.refresh);
  const board = state.status === "ready" ? state.data : undefined;
  const allPaused = board?.pauses.some((pause) => pause.scope === "all") ?? false;

  // One Undo offer at a time (there is one spot for it): a new removal replaces the other's.
  const removeBudget = (budget: Budget) => {
    ruleRemoval.dismiss();
    budgetRemoval.remove(budget);
  };
  const removeRule = (anomaly: Anomaly) => {
    budgetRemoval.dismiss();
    ruleRemoval.remove(anomaly);
  };

  return (
    <Page
      route={ROUTE}
      actions={
        <>
          <PauseAllButton onPause={() => void pauseAll.run()} running={pauseAll.running} allPaused={allPaused} />
          <Button variant="primary" icon="plus" onClick={() => setEditing({ budget: null })} data-testid="new-budget">
            New budget
          </Button>
        </>
      }
    >
      {pauseAll.error && <ErrorPanel compact error={pauseAll.error} testId="pause-all-error" />}
      {board && board.pauses.length > 0 && <PausedBanner pauses={board.pauses} />}
      {budgetRemoval.error && <ErrorPanel compact error={budgetRemoval.error} testId="budget-removal-error" />}
      <BudgetsCard
        state={state}
        onRetry={reload}
        onNew={() => setEditing({ budget: null })}
        onEdit={(budget) => setEditing({ budget })}
        onDelete={removeBudget}
        deleting={budgetRemoval.removing}
      />
      <AnomalyRulesCard rules={rules} removal={ruleRemoval} onRemove={removeRule} />
      <AlertHistoryCard />
      <SinksCard />
      {editing && (
        <BudgetDialog budget={editing.budget} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />
      )}
      {budgetRemoval.removed !== null ? (
        <UndoSnackbar
          key="budget"
          removal={budgetRemoval}
          message={(budget) => `Budget “${budget.name}” removed`}
          testId="budget-removed"
        />
      ) : (
        <UndoSnackbar
          key="rule"
          removal={ruleRemoval}
          message={(anomaly) => `Rule removed: ${anomalyRulePhrase(anomaly.rule)}`}
          testId="anomaly-removed"
        />
      )}
    </Page>
  );
}

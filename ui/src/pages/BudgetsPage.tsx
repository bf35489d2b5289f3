import { useCallback, useState } from "react";
import { useBackend, type Budget } from "../backend";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Page } from "../components/Page";
import { UndoSnackbar } from "../components/UndoSnackbar";
import { useAction } from "../hooks/useAction";
import { useBudgetBoard } from "../hooks/useBudgetBoard";
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
 * anomaly rules; the alert history; and where alerts go besides the desktop.
 */
export function BudgetsPage() {
  const backend = useBackend();
  const { state, reload, refresh } = useBudgetBoard();
  const [editing, setEditing] = useState<Editing>(null);
  const pauseAll = useAction(useCallback(() => backend.pauseAll(), [backend]));
  const removal = useBudgetRemoval(refresh);
  const board = state.status === "ready" ? state.data : undefined;
  const allPaused = board?.pauses.some((pause) => pause.scope === "all") ?? false;

  const onPauseAll = () => {
    void pauseAll.run().then((pause) => {
      if (pause) refresh();
    });
  };
  const onSaved = () => {
    setEditing(null);
    refresh();
  };

  return (
    <Page
      route={ROUTE}
      actions={
        <>
          <PauseAllButton onPause={onPauseAll} running={pauseAll.running} allPaused={allPaused} />
          <Button variant="primary" icon="plus" onClick={() => setEditing({ budget: null })} data-testid="new-budget">
            New budget
          </Button>
        </>
      }
    >
      {pauseAll.error && <ErrorPanel compact error={pauseAll.error} testId="pause-all-error" />}
      {board && board.pauses.length > 0 && <PausedBanner pauses={board.pauses} onResumed={refresh} />}
      {removal.error && <ErrorPanel compact error={removal.error} testId="budget-removal-error" />}
      <BudgetsCard
        state={state}
        onRetry={reload}
        onNew={() => setEditing({ budget: null })}
        onEdit={(budget) => setEditing({ budget })}
        onDelete={removal.remove}
        deleting={removal.removing}
      />
      <AnomalyRulesCard />
      <AlertHistoryCard />
      <SinksCard />
      {editing && <BudgetDialog budget={editing.budget} onClose={() => setEditing(null)} onSaved={onSaved} />}
      <UndoSnackbar
        removal={removal}
        message={(budget) => `Budget “${budget.name}” removed`}
        testId="budget-removed"
      />
    </Page>
  );
}

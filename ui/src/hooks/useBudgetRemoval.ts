import { useCallback, useState } from "react";
import { useBackend, type Budget, type BackendError } from "../backend";
import { useAction } from "./useAction";

/** What {@link useBudgetRemoval} returns. */
export interface BudgetRemoval {
  /** Removes the budget at once and keeps it for {@link BudgetRemoval.undo}. */
  remove: (budget: Budget) => void;
  /** Puts the last removed budget back. */
  undo: () => void;
  /** Forgets the last removed budget (the undo offer expired or was closed). */
  dismiss: () => void;
  /** The last removed budget, while undo is offered. */
  removed: Budget | null;
  removing: boolean;
  restoring: boolean;
  /** Why the last removal or undo failed. */
  error: BackendError | null;
}

/** Delete with undo: removes a budget, offers it back, and calls `onChange` after each change. */
export function useBudgetRemoval(onChange: () => void): BudgetRemoval {
  const backend = useBackend();
  const [removed, setRemoved] = useState<Budget | null>(null);
  const removal = useAction(useCallback((id: number) => backend.removeBudget(id), [backend]));
  const restoral = useAction(useCallback((budget: Budget) => backend.restoreBudget(budget), [backend]));
  const { run: runRemove, clearError: clearRemoveError } = removal;
  const { run: runRestore, clearError: clearRestoreError } = restoral;

  const remove = useCallback(
    (budget: Budget) => {
      clearRestoreError();
      void runRemove(budget.id).then((gone) => {
        if (gone === undefined) return;
        setRemoved(gone);
        onChange();
      });
    },
    [runRemove, clearRestoreError, onChange],
  );

  const undo = useCallback(() => {
    if (!removed) return;
    clearRemoveError();
    void runRestore(removed).then((result) => {
      if (result === undefined) return;
      setRemoved(null);
      onChange();
    });
  }, [removed, runRestore, clearRemoveError, onChange]);

  const dismiss = useCallback(() => setRemoved(null), []);

  return {
    remove,
    undo,
    dismiss,
    removed,
    removing: removal.running,
    restoring: restoral.running,
    error: removal.error ?? restoral.error,
  };
}

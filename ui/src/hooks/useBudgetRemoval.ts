import { useCallback } from "react";
import { useBackend, type Budget } from "../backend";
import { useUndoableRemoval, type UndoableRemoval } from "./useUndoableRemoval";

/** What {@link useBudgetRemoval} returns. */
export type BudgetRemoval = UndoableRemoval<Budget>;

/** Delete with undo: removes a budget, offers it back, and calls `onChange` after each change. */
export function useBudgetRemoval(onChange: () => void): BudgetRemoval {
  const backend = useBackend();
  const remove = useCallback((budget: Budget) => backend.removeBudget(budget.id), [backend]);
  const restore = useCallback((budget: Budget) => backend.restoreBudget(budget), [backend]);
  return useUndoableRemoval(remove, restore, onChange);
}

import { useCallback } from "react";
import { useBackend, type Budget } from "../backend";
import { useUndoableRemoval, type UndoableRemoval } from "./useUndoableRemoval";

/** What {@link useBudgetRemoval} returns. */
export type BudgetRemoval = UndoableRemoval<Budget>;

/**
 * Delete with undo: removes a budget and offers it back. The board follows by itself (the
 * backend pushes `budget-board-changed` after each change).
 */
export function useBudgetRemoval(): BudgetRemoval {
  const backend = useBackend();
  const remove = useCallback((budget: Budget) => backend.removeBudget(budget.id), [backend]);
  const restore = useCallback((budget: Budget) => backend.restoreBudget(budget), [backend]);
  return useUndoableRemoval(remove, restore);
}

import { createContext, useContext } from "react";
import type { BudgetBoard } from "../backend";
import type { AsyncResult } from "../hooks/useAsync";

/** Carries the budget board from `BudgetBoardProvider` to {@link useBudgetBoard}. */
export const BudgetBoardContext = createContext<AsyncResult<BudgetBoard> | null>(null);

/**
 * The budget board (every budget with where it stands, the pauses holding now and how many
 * alerts are unacknowledged), live, shared by the whole app: the sidebar badge, the Budgets
 * page and the Overview's paused notice. Needs a `BudgetBoardProvider` above.
 */
export function useBudgetBoard(): AsyncResult<BudgetBoard> {
  const board = useContext(BudgetBoardContext);
  if (!board) throw new Error("useBudgetBoard() must be used inside <BudgetBoardProvider>");
  return board;
}

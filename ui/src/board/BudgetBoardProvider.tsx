import { useCallback, useMemo, type ReactNode } from "react";
import { useBackend, type BudgetBoard } from "../backend";
import { useAsync } from "../hooks/useAsync";
import { useBackendEvent, type Subscribe } from "../hooks/useBackendEvent";
import { BudgetBoardContext } from "./BudgetBoardContext";

const subscribe: Subscribe<BudgetBoard> = (backend, listener) => backend.onBudgetBoardChanged(listener);

/**
 * Loads the budget board once for the whole app and replaces it with each `budget-board-changed`
 * event (the backend pushes one after each budget, pause, resume or acknowledge command, so
 * nothing fetches it again after a command); provides {@link useBudgetBoard}.
 */
export function BudgetBoardProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const load = useCallback(() => backend.budgetBoard(), [backend]);
  const { state, reload, refresh, setData } = useAsync(load);
  useBackendEvent(subscribe, setData, "Live budget updates");
  const value = useMemo(() => ({ state, reload, refresh, setData }), [state, reload, refresh, setData]);
  return <BudgetBoardContext.Provider value={value}>{children}</BudgetBoardContext.Provider>;
}

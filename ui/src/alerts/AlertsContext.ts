import { createContext, useContext } from "react";
import type { Alert } from "../backend";
import type { AsyncState } from "../hooks/useAsync";

/** What {@link useAlerts} exposes. */
export interface AlertsState {
  /** The latest alerts, newest first. */
  state: AsyncState<Alert[]>;
  /** How many alerts are not acknowledged yet (0 until loaded). */
  unacknowledged: number;
  /** Acknowledges one alert, or all when `id` is null, then fetches the list again; rejects with a BackendError. */
  acknowledge: (id: number | null) => Promise<void>;
  /** Shows the loading state and fetches again (Retry). */
  reload: () => void;
}

/** Carries the alert history from `AlertsProvider` to {@link useAlerts}. */
export const AlertsContext = createContext<AlertsState | null>(null);

/** The alert history, shared by the sidebar badge and the alert list; needs an `AlertsProvider` above. */
export function useAlerts(): AlertsState {
  const state = useContext(AlertsContext);
  if (!state) throw new Error("useAlerts() must be used inside <AlertsProvider>");
  return state;
}

import { useCallback, useMemo, type ReactNode } from "react";
import { useBackend } from "../backend";
import { useAsync } from "../hooks/useAsync";
import { useBackendEvent, type Subscribe } from "../hooks/useBackendEvent";
import { AlertsContext } from "./AlertsContext";

const subscribe: Subscribe<void> = (backend, listener) => backend.onAlertsChanged(listener);

/**
 * Loads the alert history once for the whole app, fetches it again on every `alerts-changed`
 * event and after each acknowledgement (which sends no event), and provides {@link useAlerts}.
 */
export function AlertsProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const load = useCallback(() => backend.alerts(), [backend]);
  const { state, reload, refresh } = useAsync(load);
  useBackendEvent(subscribe, refresh, "Live alerts");

  const acknowledge = useCallback(
    async (id: number | null) => {
      await backend.acknowledgeAlerts(id);
      refresh();
    },
    [backend, refresh],
  );

  const unacknowledged = state.status === "ready" ? state.data.filter((a) => !a.acknowledged).length : 0;
  const value = useMemo(
    () => ({ state, unacknowledged, acknowledge, reload }),
    [state, unacknowledged, acknowledge, reload],
  );
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

import { useCallback, useEffect, useRef } from "react";
import { useBackend } from "../../backend";
import { useBudgetBoard } from "../../board/BudgetBoardContext";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { plural } from "../../format/number";
import { useAction } from "../../hooks/useAction";
import { useAsync } from "../../hooks/useAsync";
import { useBackendEvent, type Subscribe } from "../../hooks/useBackendEvent";
import { AlertRow } from "./AlertRow";
import "./AlertHistoryCard.css";

const subscribe: Subscribe<void> = (backend, listener) => backend.onAlertsChanged(listener);

/**
 * The "Alerts" card: the alert history, newest first, with Acknowledge per alert and Acknowledge
 * all. Only this card fetches the list: on mount, on each `alerts-changed` event, and whenever
 * the live board's count of unacknowledged alerts changes (which is how an acknowledgement, here
 * or in the tray, shows up). The count shown is the board's, which covers every alert.
 */
export function AlertHistoryCard() {
  const backend = useBackend();
  const load = useCallback(() => backend.alerts(), [backend]);
  const { state, reload, refresh } = useAsync(load);
  useBackendEvent(subscribe, refresh, "Live alerts");
  const acknowledge = useCallback((id: number | null) => backend.acknowledgeAlerts(id), [backend]);
  const { run, running, error } = useAction(acknowledge);
  const alerts = state.status === "ready" ? state.data : undefined;

  const { state: board } = useBudgetBoard();
  const boardCount = board.status === "ready" ? board.data.unacknowledgedAlerts : undefined;
  const lastCount = useRef(boardCount);
  useEffect(() => {
    if (boardCount === undefined) return;
    const previous = lastCount.current;
    lastCount.current = boardCount;
    if (previous !== undefined && previous !== boardCount) refresh();
  }, [boardCount, refresh]);

  // The board counts every alert; the list holds only the latest ones.
  const unacknowledged = boardCount ?? alerts?.filter((alert) => !alert.acknowledged).length ?? 0;

  return (
    <Card
      title="Alerts"
      description={
        unacknowledged > 0
          ? plural(unacknowledged, "unacknowledged alert")
          : "Thresholds crossed, anomalies, pauses and resumes."
      }
      className="alert-history"
      testId="alert-history"
      actions={
        <Button
          variant="ghost"
          icon="check"
          onClick={() => void run(null)}
          disabled={unacknowledged === 0 || running}
          data-testid="acknowledge-all"
        >
          Acknowledge all
        </Button>
      }
    >
      {error && <ErrorPanel compact error={error} testId="acknowledge-error" />}
      {state.status === "loading" && <SkeletonLines widths={["80%", "65%", "72%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="alerts-error" />}
      {alerts?.length === 0 && (
        <p className="alert-history-empty" data-testid="alerts-empty">
          No alerts yet. Budgets raise one when spend crosses a threshold, anomaly rules when they fire, and
          pauses when they start or end.
        </p>
      )}
      {alerts && alerts.length > 0 && (
        <ol className="alert-list" data-testid="alert-list" aria-label="Alerts, newest first">
          {alerts.map((alert) => (
            <AlertRow key={alert.id} alert={alert} onAcknowledge={() => void run(alert.id)} busy={running} />
          ))}
        </ol>
      )}
    </Card>
  );
}

import { useAlerts } from "../../alerts/AlertsContext";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { plural } from "../../format/number";
import { useAction } from "../../hooks/useAction";
import { AlertRow } from "./AlertRow";
import "./AlertHistoryCard.css";

/** The "Alerts" card: the alert history, newest first, with Acknowledge per alert and Acknowledge all. */
export function AlertHistoryCard() {
  const { state, unacknowledged, acknowledge, reload } = useAlerts();
  const { run, running, error } = useAction(acknowledge);
  const alerts = state.status === "ready" ? state.data : undefined;

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

import { useCallback, useState } from "react";
import { useBackend } from "../../../backend";
import { Button } from "../../../components/Button";
import { Card } from "../../../components/Card";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { SkeletonLines } from "../../../components/SkeletonLines";
import { UndoSnackbar } from "../../../components/UndoSnackbar";
import { anomalyRulePhrase } from "../../../format/anomaly";
import { useAnomalyRemoval } from "../../../hooks/useAnomalyRemoval";
import { useAsync } from "../../../hooks/useAsync";
import { AnomalyDialog } from "./AnomalyDialog";
import { AnomalyRow } from "./AnomalyRow";
import "./AnomalyRulesCard.css";

const DESCRIPTION =
  "Patterns that burn money for nothing, checked as spend comes in. " +
  "A runaway-loop rule (the same tool call 10 times in a session, alert only) ships enabled.";

/**
 * The "Anomaly rules" card: each rule in words with Remove (and Undo), Add rule, and the
 * loading, error and empty states. It says that the runaway-loop rule ships enabled.
 */
export function AnomalyRulesCard() {
  const backend = useBackend();
  const load = useCallback(() => backend.anomalyRules(), [backend]);
  const { state, reload, refresh } = useAsync(load);
  const [adding, setAdding] = useState(false);
  const removal = useAnomalyRemoval(refresh);
  const rules = state.status === "ready" ? state.data : undefined;

  const onSaved = () => {
    setAdding(false);
    refresh();
  };

  return (
    <Card
      title="Anomaly rules"
      description={DESCRIPTION}
      className="anomaly-card"
      testId="anomaly-card"
      actions={
        <Button variant="ghost" icon="plus" onClick={() => setAdding(true)} data-testid="add-anomaly">
          Add rule
        </Button>
      }
    >
      {removal.error && <ErrorPanel compact error={removal.error} testId="anomaly-removal-error" />}
      {state.status === "loading" && <SkeletonLines widths={["60%", "45%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="anomaly-error" />}
      {rules?.length === 0 && (
        <p className="anomaly-empty" data-testid="anomaly-empty">
          No rules: nothing watches for runaway loops, spikes or costly sessions. Add rule puts one back.
        </p>
      )}
      {rules && rules.length > 0 && (
        <ul className="anomaly-list" data-testid="anomaly-list" aria-label="Anomaly rules">
          {rules.map((anomaly) => (
            <AnomalyRow
              key={anomaly.id}
              anomaly={anomaly}
              onRemove={() => removal.remove(anomaly)}
              removing={removal.removing}
            />
          ))}
        </ul>
      )}
      {adding && <AnomalyDialog onClose={() => setAdding(false)} onSaved={onSaved} />}
      <UndoSnackbar
        removal={removal}
        message={(anomaly) => `Rule removed: ${anomalyRulePhrase(anomaly.rule)}`}
        testId="anomaly-removed"
      />
    </Card>
  );
}

import type { Anomaly } from "../../../backend";
import { Button } from "../../../components/Button";
import { anomalyActionPhrase, anomalyPhrase, anomalyRulePhrase } from "../../../format/anomaly";

/** Props of {@link AnomalyRow}. */
export interface AnomalyRowProps {
  anomaly: Anomaly;
  onRemove: () => void;
  /** Disables Remove (while a removal runs). */
  removing?: boolean;
}

/** One anomaly rule in words ("The same tool call 10 times in a session — alert") with Remove. */
export function AnomalyRow({ anomaly, onRemove, removing = false }: AnomalyRowProps) {
  return (
    <li className="list-row anomaly-row" data-testid="anomaly-row" data-action={anomaly.action}>
      <p className="anomaly-row-text" data-testid="anomaly-phrase">
        {anomalyRulePhrase(anomaly.rule)}
        {" — "}
        <span className="anomaly-row-action">{anomalyActionPhrase(anomaly)}</span>
      </p>
      <div className="list-row-actions">
        <Button
          variant="ghost"
          icon="trash"
          onClick={onRemove}
          disabled={removing}
          aria-label={`Remove rule: ${anomalyPhrase(anomaly)}`}
        >
          Remove
        </Button>
      </div>
    </li>
  );
}

import type { Anomaly } from "../../../backend";
import { Button } from "../../../components/Button";
import { Callout } from "../../../components/Callout";
import { anomalyActionPhrase, anomalyPhrase, anomalyRulePhrase } from "../../../format/anomaly";

/** Props of {@link AnomalyRow}. */
export interface AnomalyRowProps {
  anomaly: Anomaly;
  onRemove: () => void;
  /** Disables Remove (while a removal runs). */
  removing?: boolean;
}

/**
 * One anomaly rule in words ("The same tool call 10 times in a session — alert") with Remove,
 * and why it could not be checked, when it could not.
 */
export function AnomalyRow({ anomaly, onRemove, removing = false }: AnomalyRowProps) {
  return (
    <li className="list-row anomaly-row" data-testid="anomaly-row" data-action={anomaly.action}>
      <div className="list-row-main">
        <p className="anomaly-row-text" data-testid="anomaly-phrase">
          {anomalyRulePhrase(anomaly.rule)}
          {" — "}
          <span className="anomaly-row-action">{anomalyActionPhrase(anomaly)}</span>
        </p>
        {anomaly.problem && (
          <Callout tone="warn" testId="anomaly-problem">
            Not checked on the last pass ({anomaly.problem}). The other rules and every budget still
            are; it is tried again every few seconds.
          </Callout>
        )}
      </div>
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

import type { UnreadableRule } from "../../../backend";
import { Button } from "../../../components/Button";
import { Callout } from "../../../components/Callout";

/** Props of {@link UnreadableRuleRow}. */
export interface UnreadableRuleRowProps {
  rule: UnreadableRule;
  /** Asks to remove the rule (the caller confirms first). */
  onRemove: () => void;
}

/**
 * A stored rule this build cannot read (damaged, or saved by a newer Clawtower): why, that the
 * other rules still run, and Remove.
 */
export function UnreadableRuleRow({ rule, onRemove }: UnreadableRuleRowProps) {
  return (
    <li className="list-row anomaly-row" data-testid="anomaly-unreadable-row">
      <div className="list-row-main">
        <p className="anomaly-row-text">Rule #{rule.id} cannot be read</p>
        <Callout tone="warn" testId="anomaly-unreadable-why">
          Skipped: {rule.why}. The other rules and every budget still run. A newer Clawtower may read it;
          otherwise remove it.
        </Callout>
      </div>
      <div className="list-row-actions">
        <Button variant="ghost" icon="trash" onClick={onRemove} aria-label={`Remove unreadable rule #${rule.id}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

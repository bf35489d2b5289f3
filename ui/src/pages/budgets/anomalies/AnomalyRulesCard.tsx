import { useState } from "react";
import type { Anomaly, AnomalyRules, UnreadableRule } from "../../../backend";
import { Button } from "../../../components/Button";
import { Card } from "../../../components/Card";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { SkeletonLines } from "../../../components/SkeletonLines";
import type { AsyncResult } from "../../../hooks/useAsync";
import type { UndoableRemoval } from "../../../hooks/useUndoableRemoval";
import { AnomalyDialog } from "./AnomalyDialog";
import { AnomalyRow } from "./AnomalyRow";
import { RemoveUnreadableRuleDialog } from "./RemoveUnreadableRuleDialog";
import { UnreadableRuleRow } from "./UnreadableRuleRow";
import "./AnomalyRulesCard.css";

const DESCRIPTION =
  "Patterns that burn money for nothing, checked as spend comes in. " +
  "A runaway-loop rule (the same tool call 10 times in a session, alert only) ships enabled.";

/** Props of {@link AnomalyRulesCard}. */
export interface AnomalyRulesCardProps {
  /** The rules (and those that cannot be read), loaded by the page. */
  rules: AsyncResult<AnomalyRules>;
  /** The removal in progress and why it failed (the page shows its Undo offer). */
  removal: UndoableRemoval<Anomaly>;
  /** Removes a rule. */
  onRemove: (anomaly: Anomaly) => void;
}

/**
 * The "Anomaly rules" card: each rule in words with Remove, Add rule, and the loading, error
 * and empty states. It says that the runaway-loop rule ships enabled. A stored rule this build
 * cannot read is shown with why and can be removed (confirmed: there is no Undo for it).
 */
export function AnomalyRulesCard({ rules, removal, onRemove }: AnomalyRulesCardProps) {
  const { state, reload, refresh } = rules;
  const [adding, setAdding] = useState(false);
  const [removingUnreadable, setRemovingUnreadable] = useState<UnreadableRule | null>(null);
  const list = state.status === "ready" ? state.data.rules : undefined;
  const unreadable = state.status === "ready" ? state.data.unreadable : [];

  const onSaved = () => {
    setAdding(false);
    refresh();
  };
  const onRemovedUnreadable = () => {
    setRemovingUnreadable(null);
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
      {list?.length === 0 && unreadable.length === 0 && (
        <p className="anomaly-empty" data-testid="anomaly-empty">
          No rules: nothing watches for runaway loops, spikes or costly sessions. Add rule puts one back.
        </p>
      )}
      {list && list.length + unreadable.length > 0 && (
        <ul className="anomaly-list" data-testid="anomaly-list" aria-label="Anomaly rules">
          {list.map((anomaly) => (
            <AnomalyRow
              key={anomaly.id}
              anomaly={anomaly}
              onRemove={() => onRemove(anomaly)}
              removing={removal.removing}
            />
          ))}
          {unreadable.map((rule) => (
            <UnreadableRuleRow key={rule.id} rule={rule} onRemove={() => setRemovingUnreadable(rule)} />
          ))}
        </ul>
      )}
      {adding && <AnomalyDialog onClose={() => setAdding(false)} onSaved={onSaved} />}
      {removingUnreadable && (
        <RemoveUnreadableRuleDialog
          rule={removingUnreadable}
          onClose={() => setRemovingUnreadable(null)}
          onRemoved={onRemovedUnreadable}
        />
      )}
    </Card>
  );
}

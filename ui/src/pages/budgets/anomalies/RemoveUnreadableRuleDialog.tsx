import { useCallback } from "react";
import { useBackend, type UnreadableRule } from "../../../backend";
import { ConfirmActionDialog } from "../../../components/ConfirmActionDialog";

/** Props of {@link RemoveUnreadableRuleDialog}. */
export interface RemoveUnreadableRuleDialogProps {
  rule: UnreadableRule;
  onClose: () => void;
  /** Called once the rule is removed. */
  onRemoved: () => void;
}

/**
 * Asks before removing a rule that cannot be read, saying why there is no Undo (what it was
 * cannot be read back, so it cannot be added again); removes it on Remove.
 */
export function RemoveUnreadableRuleDialog({ rule, onClose, onRemoved }: RemoveUnreadableRuleDialogProps) {
  const backend = useBackend();
  const remove = useCallback(() => backend.removeAnomalyRule(rule.id), [backend, rule.id]);
  return (
    <ConfirmActionDialog
      title={`Remove rule #${rule.id}?`}
      confirmLabel="Remove"
      busyLabel="Removing…"
      action={remove}
      onClose={onClose}
      onDone={onRemoved}
      testId="remove-unreadable-rule-dialog"
    >
      <p>This cannot be undone: the rule cannot be read, so it cannot be put back.</p>
    </ConfirmActionDialog>
  );
}

import { useCallback, type FormEvent } from "react";
import { useBackend, type Anomaly, type AnomalyDraft } from "../../../backend";
import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { FormFailure } from "../../../components/FormFailure";
import { SelectField } from "../../../components/SelectField";
import { ANOMALY_KIND_LABELS, type AnomalyKind } from "../../../format/anomaly";
import { useAction } from "../../../hooks/useAction";
import { useFormState } from "../../../hooks/useFormState";
import { AnomalyActionFields } from "./AnomalyActionFields";
import { NEW_ANOMALY, validateAnomalyForm, type AnomalyFormField, type AnomalyFormValues } from "./anomalyForm";
import { RuleFields } from "./RuleFields";

const KIND_HINTS: Readonly<Record<AnomalyKind, string>> = {
  runawayLoop: "An agent calling the same tool with the same arguments over and over.",
  tokenVelocity: "Tokens burning faster than usual, all sessions together.",
  errorSpike: "Many failed tool results or model errors in a short time.",
  longRun: "A session working for a long time without a break.",
  sessionCost: "One session costing more than an amount.",
};

/** Props of {@link AnomalyDialog}. */
export interface AnomalyDialogProps {
  onClose: () => void;
  /** Called with the rule as stored once it is added. */
  onSaved: (anomaly: Anomaly) => void;
}

/**
 * The Add rule dialog: a kind, its numbers, and alert or alert-and-pause. The numbers are
 * checked before saving; what the engine still refuses (INVALID_INPUT) is shown as its sentence.
 */
export function AnomalyDialog({ onClose, onSaved }: AnomalyDialogProps) {
  const backend = useBackend();
  const { values, errors, change, refuse, formRef } = useFormState<AnomalyFormValues, AnomalyFormField>(() => ({
    ...NEW_ANOMALY,
  }));
  const add = useCallback((draft: AnomalyDraft) => backend.addAnomalyRule(draft), [backend]);
  const { run, running, error } = useAction(add);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateAnomalyForm(values);
    if (!result.ok) {
      refuse(result.errors);
      return;
    }
    const saved = await run(result.draft);
    if (saved) onSaved(saved);
  }

  return (
    <Dialog
      title="Add anomaly rule"
      description="A pattern that burns money for nothing, checked as spend comes in."
      onClose={onClose}
      testId="anomaly-dialog"
    >
      <form ref={formRef} className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <SelectField
          label="Watch for"
          hint={KIND_HINTS[values.kind]}
          value={values.kind}
          options={ANOMALY_KIND_LABELS}
          onChange={(kind) => change({ kind })}
          data-autofocus
          testId="anomaly-kind"
        />
        <RuleFields values={values} errors={errors} onChange={change} />
        <AnomalyActionFields kind={values.kind} value={values.action} onChange={(action) => change({ action })} />
        <FormFailure error={error} testIdPrefix="anomaly-form" />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={running} data-testid="anomaly-save">
            {running ? "Adding…" : "Add rule"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

import { useBackend, type Anomaly } from "../../../backend";
import { FormDialog } from "../../../components/FormDialog";
import { SelectField } from "../../../components/SelectField";
import { ANOMALY_KIND_LABELS, type AnomalyKind } from "../../../format/anomaly";
import { fieldBinder } from "../../../hooks/useFormState";
import { AnomalyActionFields } from "./AnomalyActionFields";
import { NEW_ANOMALY, validateAnomalyForm } from "./anomalyForm";
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
 * The Add rule dialog: a kind, its numbers, and alert or alert-and-pause; checked before saving
 * (see {@link FormDialog}).
 */
export function AnomalyDialog({ onClose, onSaved }: AnomalyDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title="Add anomaly rule"
      description="A pattern that burns money for nothing, checked as spend comes in."
      testIdPrefix="anomaly"
      initial={() => ({ ...NEW_ANOMALY })}
      validate={validateAnomalyForm}
      save={(draft) => backend.addAnomalyRule(draft)}
      submitLabel="Add rule"
      busyLabel="Adding…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "anomaly");
        return (
          <>
            <SelectField
              label="Watch for"
              hint={KIND_HINTS[fields.values.kind]}
              options={ANOMALY_KIND_LABELS}
              data-autofocus
              {...field("kind")}
            />
            <RuleFields {...fields} />
            <AnomalyActionFields {...fields} />
          </>
        );
      }}
    </FormDialog>
  );
}

import { TextField } from "../../../components/TextField";
import { RULE_FIELDS, type AnomalyFormErrors, type AnomalyFormValues } from "./anomalyForm";

/** Props of {@link RuleFields}. */
export interface RuleFieldsProps {
  values: AnomalyFormValues;
  errors: AnomalyFormErrors;
  onChange: (patch: Partial<AnomalyFormValues>) => void;
}

/** The numbers the chosen rule kind asks for, and only those. */
export function RuleFields({ values, errors, onChange }: RuleFieldsProps) {
  return (
    <div className="form-row">
      {RULE_FIELDS[values.kind].map((spec) => (
        <TextField
          key={spec.field}
          label={spec.label}
          hint={spec.hint}
          error={errors[spec.field]}
          inputClassName="num"
          inputMode={spec.usd ? "decimal" : "numeric"}
          value={values[spec.field]}
          onChange={(text) => onChange({ [spec.field]: text })}
          testId={`anomaly-${spec.field}`}
        />
      ))}
    </div>
  );
}

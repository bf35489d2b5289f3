import { TextField } from "../../../components/TextField";
import { RULE_FIELDS, type AnomalyFieldsProps } from "./anomalyForm";

/** The numbers the chosen rule kind asks for, and only those. */
export function RuleFields({ values, errors, onChange }: AnomalyFieldsProps) {
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

import { TextField } from "../../../components/TextField";
import { fieldBinder } from "../../../hooks/useFormState";
import { RULE_FIELDS, type AnomalyFieldsProps } from "./anomalyForm";

/** The numbers the chosen rule kind asks for, and only those. */
export function RuleFields(props: AnomalyFieldsProps) {
  const field = fieldBinder(props, "anomaly");
  return (
    <div className="form-row">
      {RULE_FIELDS[props.values.kind].map((spec) => (
        <TextField
          key={spec.field}
          label={spec.label}
          hint={spec.hint}
          inputClassName="num"
          inputMode={spec.usd ? "decimal" : "numeric"}
          {...field(spec.field)}
        />
      ))}
    </div>
  );
}

import { TextField } from "../../../components/TextField";
import { AllowPrivateField } from "./AllowPrivateField";
import type { SinkFieldsProps } from "./sinkForm";

/** A generic webhook's URL and the private-address switch. */
export function WebhookFields({ values, errors, onChange }: SinkFieldsProps) {
  return (
    <>
      <TextField
        label="URL"
        hint="Each alert is POSTed to it as JSON. Only its host is shown afterwards, in case it carries a token."
        error={errors.url}
        inputClassName="mono"
        type="url"
        spellCheck={false}
        value={values.url}
        placeholder="https://example.com/hooks/clawtower"
        onChange={(url) => onChange({ url })}
        testId="sink-url"
      />
      <AllowPrivateField values={values} onChange={onChange} />
    </>
  );
}

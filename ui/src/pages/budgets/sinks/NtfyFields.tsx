import { TextField } from "../../../components/TextField";
import { AllowPrivateField } from "./AllowPrivateField";
import { SecretField } from "./SecretField";
import type { SinkFieldsProps } from "./sinkForm";

/** An ntfy server and topic, the optional access token (a secret) and the private-address switch. */
export function NtfyFields({ values, errors, onChange }: SinkFieldsProps) {
  return (
    <>
      <div className="form-row">
        <TextField
          label="Server"
          hint="https://ntfy.sh, or your own server."
          error={errors.server}
          inputClassName="mono"
          type="url"
          spellCheck={false}
          value={values.server}
          onChange={(server) => onChange({ server })}
          testId="sink-server"
        />
        <TextField
          label="Topic"
          hint="The topic name alone, without '/'."
          error={errors.topic}
          inputClassName="mono"
          spellCheck={false}
          value={values.topic}
          placeholder="clawtower-alerts"
          onChange={(topic) => onChange({ topic })}
          testId="sink-topic"
        />
      </div>
      <SecretField
        label="Access token"
        hint="Optional: only for a protected topic."
        value={values.token}
        placeholder="tk_…"
        onChange={(token) => onChange({ token })}
        testId="sink-token"
      />
      <AllowPrivateField values={values} onChange={onChange} />
    </>
  );
}

import { MonoField } from "../../../components/MonoField";
import { SecretField } from "../../../components/SecretField";
import { fieldBinder } from "../../../hooks/useFormState";
import { AllowPrivateField } from "./AllowPrivateField";
import type { SinkFieldsProps } from "./sinkForm";

/** An ntfy server and topic, the optional access token (a secret) and the private-address switch. */
export function NtfyFields(props: SinkFieldsProps) {
  const field = fieldBinder(props, "sink");
  return (
    <>
      <div className="form-row">
        <MonoField label="Server" hint="https://ntfy.sh, or your own server." type="url" {...field("server")} />
        <MonoField
          label="Topic"
          hint="The topic name alone, without '/'."
          placeholder="clawtower-alerts"
          {...field("topic")}
        />
      </div>
      <SecretField
        label="Access token"
        hint="Optional: only for a protected topic."
        placeholder="tk_…"
        {...field("token")}
      />
      <AllowPrivateField {...props} />
    </>
  );
}

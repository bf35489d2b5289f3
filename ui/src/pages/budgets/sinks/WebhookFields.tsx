import { MonoField } from "../../../components/MonoField";
import { fieldBinder } from "../../../hooks/useFormState";
import { AllowPrivateField } from "./AllowPrivateField";
import type { SinkFieldsProps } from "./sinkForm";

/** A generic webhook's URL and the private-address switch. */
export function WebhookFields(props: SinkFieldsProps) {
  const field = fieldBinder(props, "sink");
  return (
    <>
      <MonoField
        label="URL"
        hint="Each alert is POSTed to it as JSON. Only its host is shown afterwards, in case it carries a token."
        type="url"
        placeholder="https://example.com/hooks/clawtower"
        {...field("url")}
      />
      <AllowPrivateField {...props} />
    </>
  );
}

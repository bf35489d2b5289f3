import { CheckboxChoice } from "../../../components/CheckboxChoice";
import type { SinkFieldsProps } from "./sinkForm";

const SSRF_GUARD =
  "Off by default: as a guard against server-side request forgery (SSRF), Clawtower refuses to send to " +
  "loopback, private and link-local addresses. Turn it on only for a server on your own network.";

/**
 * The "Allow private/LAN addresses" checkbox of webhook, ntfy and email destinations, explained as the
 * SSRF guard it turns off.
 */
export function AllowPrivateField({ values, onChange }: Omit<SinkFieldsProps, "errors">) {
  return (
    <CheckboxChoice
      label="Allow private/LAN addresses"
      description={SSRF_GUARD}
      checked={values.allowPrivate}
      onChange={(allowPrivate) => onChange({ allowPrivate })}
      testId="sink-allow-private"
    />
  );
}

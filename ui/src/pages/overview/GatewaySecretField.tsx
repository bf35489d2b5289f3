import type { CredentialKind } from "../../backend";
import { SecretField, type SecretFieldProps } from "../../components/SecretField";
import { CREDENTIAL_LABELS } from "../../format/gateway";

const HINTS: Readonly<Record<CredentialKind, string>> = {
  token: "The gateway's shared token (gateway.auth.token in its openclaw.json).",
  password: "The password the gateway asks for (its gateway.auth.mode is password).",
};

/** Props of {@link GatewaySecretField}: a secret field's, labelled by the kind of credential. */
export interface GatewaySecretFieldProps extends Omit<SecretFieldProps, "label" | "hint"> {
  kind: CredentialKind;
}

/** The token or password a gateway asks for, in a password input labelled by its kind (never shown again). */
export function GatewaySecretField({ kind, ...props }: GatewaySecretFieldProps) {
  return <SecretField label={CREDENTIAL_LABELS[kind]} hint={HINTS[kind]} {...props} />;
}

import type { CredentialKind, GatewayCredential, GatewayDraft } from "../../backend";
import { CREDENTIAL_LABELS } from "../../format/gateway";
import type { FieldGroupProps, FormErrors, FormResult } from "../../hooks/useFormState";

/** How Clawtower authenticates to a gateway being added: nothing (or this device's token), a token or a password. */
export type AuthChoice = "none" | CredentialKind;

/** The Authentication choices of the Add gateway form, in the order offered. */
export const AUTH_LABELS: Readonly<Record<AuthChoice, string>> = { none: "None", ...CREDENTIAL_LABELS };

/** What the Add gateway form holds, as typed. */
export interface GatewayFormValues {
  name: string;
  url: string;
  auth: AuthChoice;
  /** The token or password (write-only: never shown again once saved). */
  secret: string;
  /** Allow plain `ws://` to a host that is not on this machine or a private network. */
  allowUnencrypted: boolean;
}

/** The inputs of the Add gateway form that can be invalid. */
export type GatewayFormField = "url" | "secret";

/** Props of the Add gateway form's groups of fields. */
export type GatewayFieldsProps = FieldGroupProps<GatewayFormValues, GatewayFormField>;

/** A new gateway: nothing typed, no authentication, encrypted only. */
export const NEW_GATEWAY: Readonly<GatewayFormValues> = {
  name: "",
  url: "",
  auth: "none",
  secret: "",
  allowUnencrypted: false,
};

/** What the credential dialog holds, as typed. */
export interface CredentialFormValues {
  kind: CredentialKind;
  secret: string;
}

const WS_URL = /^wss?:\/\/[^\s/?#]\S*$/i;
const PLAIN_WS = /^ws:\/\//i;

/** Whether a URL, as typed, is plain (unencrypted) `ws://`. */
export function isUnencrypted(url: string): boolean {
  return PLAIN_WS.test(url.trim());
}

/**
 * The credential a kind and a secret give, adding a message to `errors` when the secret is
 * empty. A token is trimmed (it is often pasted with a line break); a password is sent as typed.
 */
function credentialOf(kind: CredentialKind, secret: string, errors: FormErrors<"secret">): GatewayCredential {
  const value = kind === "token" ? secret.trim() : secret;
  if (!value.trim()) {
    errors.secret = kind === "token" ? "Paste the gateway's token." : "Enter the gateway's password.";
  }
  return { kind, secret: value };
}

/**
 * Checks the Add gateway form the way the engine will (so most mistakes are caught before
 * saving) and builds the draft: the URL starts with ws:// or wss://, a token or password is not
 * empty when one is chosen, the name is optional (trimmed) and unencrypted is allowed only for
 * a ws:// URL.
 */
export function validateGatewayForm(values: GatewayFormValues): FormResult<GatewayDraft, GatewayFormField> {
  const errors: FormErrors<GatewayFormField> = {};
  const url = values.url.trim();
  if (!WS_URL.test(url)) errors.url = "Enter the gateway's URL, starting with ws:// or wss://.";
  const credential = values.auth === "none" ? null : credentialOf(values.auth, values.secret, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      name: values.name.trim(),
      url,
      credential,
      allowUnencrypted: values.allowUnencrypted && isUnencrypted(url),
    },
  };
}

/** Checks the credential dialog: the token or password to send, or why it cannot be sent (empty). */
export function validateCredentialForm(values: CredentialFormValues): FormResult<GatewayCredential, "secret"> {
  const errors: FormErrors<"secret"> = {};
  const credential = credentialOf(values.kind, values.secret, errors);
  return errors.secret ? { ok: false, errors } : { ok: true, draft: credential };
}

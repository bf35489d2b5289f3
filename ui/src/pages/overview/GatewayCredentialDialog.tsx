import { useBackend, type GatewayStatus } from "../../backend";
import { FormDialog } from "../../components/FormDialog";
import { SelectField } from "../../components/SelectField";
import { CREDENTIAL_LABELS, credentialAction } from "../../format/gateway";
import { fieldBinder } from "../../hooks/useFormState";
import { ForgetCredential } from "./ForgetCredential";
import { GatewaySecretField } from "./GatewaySecretField";
import { validateCredentialForm, type CredentialFormValues } from "./gatewayForm";

/** Props of {@link GatewayCredentialDialog}. */
export interface GatewayCredentialDialogProps {
  /** The gateway, as last seen. */
  status: GatewayStatus;
  onClose: () => void;
  /** Called with every gateway once the credential is saved or forgotten (its connection restarts). */
  onSaved: (all: GatewayStatus[]) => void;
}

/**
 * Enters or changes the token or password Clawtower sends to a gateway: its kind (preselected
 * from what the gateway asked for, else what is sent now) and the secret in a password input,
 * empty each time (a secret is never shown again). When one is sent, it can also be forgotten.
 */
export function GatewayCredentialDialog({ status, onClose, onSaved }: GatewayCredentialDialogProps) {
  const backend = useBackend();
  const { gateway } = status;
  const initial = (): CredentialFormValues => ({ kind: credentialAction(status).kind, secret: "" });
  return (
    <FormDialog
      title={`Credentials for “${gateway.name}”`}
      description={`The token or password Clawtower sends to ${gateway.url}. Saving restarts the connection with it.`}
      testIdPrefix="gateway-credential"
      initial={initial}
      validate={validateCredentialForm}
      save={(credential) => backend.setGatewayCredential(gateway.id, credential)}
      submitLabel="Save"
      busyLabel="Saving…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "gateway-credential");
        return (
          <>
            <div className="form-row">
              <SelectField label="Kind" options={CREDENTIAL_LABELS} {...field("kind")} />
              <GatewaySecretField kind={fields.values.kind} data-autofocus {...field("secret")} />
            </div>
            {gateway.credentialEntered && <ForgetCredential gateway={gateway} onForgotten={onSaved} />}
          </>
        );
      }}
    </FormDialog>
  );
}

import { useBackend, type GatewayStatus } from "../../backend";
import { CheckboxChoice } from "../../components/CheckboxChoice";
import { FormDialog } from "../../components/FormDialog";
import { MonoField } from "../../components/MonoField";
import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { fieldBinder } from "../../hooks/useFormState";
import { GatewaySecretField } from "./GatewaySecretField";
import { AUTH_LABELS, isUnencrypted, NEW_GATEWAY, validateGatewayForm } from "./gatewayForm";

const UNENCRYPTED_NOTE =
  "Off by default: Clawtower refuses plain ws:// to a host that is not on this machine or your private " +
  "network, because the token or password would cross the network unencrypted. Use wss:// when you can.";

/** Props of {@link GatewayDialog}. */
export interface GatewayDialogProps {
  onClose: () => void;
  /** Called with every gateway (the new one connecting) once it is added. */
  onSaved: (all: GatewayStatus[]) => void;
}

/**
 * The Add gateway dialog: its URL, an optional name, how to authenticate (none, token or
 * password, the secret in a password input) and whether plain ws:// may go to a public host;
 * checked before saving (see {@link FormDialog}), the engine's refusal shown as its sentence.
 */
export function GatewayDialog({ onClose, onSaved }: GatewayDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title="Add gateway"
      description="Follow another OpenClaw gateway by its URL: Clawtower watches its spend live, as it does the local one."
      testIdPrefix="gateway"
      initial={() => ({ ...NEW_GATEWAY })}
      validate={validateGatewayForm}
      save={(draft) => backend.addGateway(draft)}
      submitLabel="Add gateway"
      busyLabel="Adding…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "gateway");
        const { auth, url, allowUnencrypted } = fields.values;
        const plain = isUnencrypted(url);
        return (
          <>
            <div className="form-row">
              <MonoField
                label="URL"
                hint="Its WebSocket URL, e.g. wss://gateway.example.com or ws://192.168.1.20:18789."
                placeholder="wss://gateway.example.com"
                data-autofocus
                {...field("url")}
              />
              <TextField
                label="Name"
                hint="Optional. Without one, it is named after its host."
                placeholder="Build box"
                {...field("name")}
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Authentication"
                hint="What the gateway asks for: see gateway.auth in its openclaw.json."
                options={AUTH_LABELS}
                {...field("auth")}
              />
              {auth !== "none" && <GatewaySecretField kind={auth} {...field("secret")} />}
            </div>
            <CheckboxChoice
              label="Allow unencrypted ws:// to this host"
              description={UNENCRYPTED_NOTE}
              checked={allowUnencrypted && plain}
              disabled={!plain}
              onChange={(allow) => fields.onChange({ allowUnencrypted: allow })}
              testId="gateway-allow-unencrypted"
            />
          </>
        );
      }}
    </FormDialog>
  );
}

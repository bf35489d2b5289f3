import { useBackend, type SinkView } from "../../../backend";
import { FormDialog } from "../../../components/FormDialog";
import { SelectField } from "../../../components/SelectField";
import { TextField } from "../../../components/TextField";
import { SINK_KIND_LABELS, type SinkKind } from "../../../format/sinks";
import { fieldBinder } from "../../../hooks/useFormState";
import { NEW_SINK, validateSinkForm } from "./sinkForm";
import { SinkKindFields } from "./SinkKindFields";

const KIND_HINTS: Readonly<Record<SinkKind, string>> = {
  slack: "A message in a Slack channel.",
  discord: "A message in a Discord channel.",
  telegram: "A message from your Telegram bot.",
  ntfy: "A push notification through ntfy.",
  email: "An email over SMTP.",
  webhook: "A JSON POST to any URL.",
};

/** Props of {@link SinkDialog}. */
export interface SinkDialogProps {
  onClose: () => void;
  /** Called with the destination as stored (secrets left out) once it is added. */
  onSaved: (sink: SinkView) => void;
}

/**
 * The Add destination dialog: a kind, then only that kind's fields (secrets in password
 * inputs), a name and a cooldown; checked before saving (see {@link FormDialog}).
 */
export function SinkDialog({ onClose, onSaved }: SinkDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title="Add destination"
      description="Alerts go to the desktop and to every destination you add."
      testIdPrefix="sink"
      initial={() => ({ ...NEW_SINK })}
      validate={validateSinkForm}
      save={(draft) => backend.addAlertSink(draft)}
      submitLabel="Add destination"
      busyLabel="Adding…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "sink");
        return (
          <>
            <div className="form-row">
              <SelectField
                label="Kind"
                hint={KIND_HINTS[fields.values.kind]}
                options={SINK_KIND_LABELS}
                data-autofocus
                {...field("kind")}
              />
              <TextField
                label="Name"
                hint="Optional. Without one, it is named after its kind."
                placeholder="Team alerts"
                {...field("name")}
              />
            </div>
            <SinkKindFields {...fields} />
            {fields.values.kind !== "email" && (
              <TextField
                label="Proxy"
                hint="Optional. Only if this machine reaches the internet through an HTTP proxy (http://proxy:3128); the system's proxy settings are never used."
                placeholder="http://proxy.example.com:3128"
                {...field("proxy")}
              />
            )}
            <TextField
              label="Cooldown (seconds)"
              hint="The least time between two alerts sent here: 300 for at most one every 5 minutes, 0 for each one."
              inputClassName="num"
              inputMode="numeric"
              {...field("cooldown")}
            />
          </>
        );
      }}
    </FormDialog>
  );
}

import { useCallback, type FormEvent } from "react";
import { useBackend, type SinkDraft, type SinkView } from "../../../backend";
import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { FormFailure } from "../../../components/FormFailure";
import { SelectField } from "../../../components/SelectField";
import { TextField } from "../../../components/TextField";
import { SINK_KIND_LABELS, type SinkKind } from "../../../format/sinks";
import { useAction } from "../../../hooks/useAction";
import { useFormState } from "../../../hooks/useFormState";
import { NEW_SINK, validateSinkForm, type SinkFormField, type SinkFormValues } from "./sinkForm";
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
 * inputs), a name and a cooldown. The form is checked before saving, each mistake under its
 * input; what the engine still refuses (INVALID_INPUT) is shown as its sentence.
 */
export function SinkDialog({ onClose, onSaved }: SinkDialogProps) {
  const backend = useBackend();
  const { values, errors, change, refuse, formRef } = useFormState<SinkFormValues, SinkFormField>(() => ({
    ...NEW_SINK,
  }));
  const add = useCallback((draft: SinkDraft) => backend.addAlertSink(draft), [backend]);
  const { run, running, error } = useAction(add);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateSinkForm(values);
    if (!result.ok) {
      refuse(result.errors);
      return;
    }
    const saved = await run(result.draft);
    if (saved) onSaved(saved);
  }

  return (
    <Dialog
      title="Add destination"
      description="Alerts go to the desktop and to every destination you add."
      onClose={onClose}
      testId="sink-dialog"
    >
      <form ref={formRef} className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-row">
          <SelectField
            label="Kind"
            hint={KIND_HINTS[values.kind]}
            value={values.kind}
            options={SINK_KIND_LABELS}
            onChange={(kind) => change({ kind })}
            data-autofocus
            testId="sink-kind"
          />
          <TextField
            label="Name"
            hint="Optional. Without one, it is named after its kind."
            value={values.name}
            placeholder="Team alerts"
            onChange={(name) => change({ name })}
            testId="sink-name"
          />
        </div>
        <SinkKindFields values={values} errors={errors} onChange={change} />
        <TextField
          label="Cooldown (seconds)"
          hint="The least time between two alerts sent here: 300 for at most one every 5 minutes, 0 for each one."
          error={errors.cooldown}
          inputClassName="num"
          inputMode="numeric"
          value={values.cooldown}
          onChange={(cooldown) => change({ cooldown })}
          testId="sink-cooldown"
        />
        <FormFailure error={error} testIdPrefix="sink-form" />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={running} data-testid="sink-save">
            {running ? "Adding…" : "Add destination"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

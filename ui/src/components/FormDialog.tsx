import type { FormEvent, ReactNode } from "react";
import { useAction } from "../hooks/useAction";
import { useFormState, type FieldGroupProps, type FormResult } from "../hooks/useFormState";
import { Dialog } from "./Dialog";
import { DialogFooter } from "./DialogFooter";
import { FormFailure } from "./FormFailure";

/** Props of {@link FormDialog}: values `V` (inputs `F` can be invalid), saved as a draft `D` that gives `T`. */
export interface FormDialogProps<V extends object, F extends keyof V, D, T> {
  title: string;
  description: ReactNode;
  /**
   * Test ids: `<prefix>-dialog` for the dialog, `<prefix>-save` for its submit button, and
   * `<prefix>-form-refused` / `<prefix>-form-error` for why saving failed (see {@link FormFailure}).
   */
  testIdPrefix: string;
  /** The form's first values (read once). */
  initial: () => V;
  /** Checks the values the way the engine will: the draft to save, or a message per invalid input. */
  validate: (values: V) => FormResult<D, F>;
  /** Saves a valid draft. */
  save: (draft: D) => Promise<T>;
  /** Text of the submit button, and while it saves (e.g. "Add rule", "Adding…"). */
  submitLabel: string;
  busyLabel: string;
  onClose: () => void;
  /** Called with what `save` gave once the draft is saved. */
  onSaved: (saved: T) => void;
  /** The fields, given the form's values, its messages and a change to make. */
  children: (fields: FieldGroupProps<V, F>) => ReactNode;
}

/**
 * A dialog whose form is checked before saving (each mistake shown under its input, the first
 * one focused); what the engine still refuses (INVALID_INPUT) is shown as its sentence above
 * Cancel and the submit button, any other failure as an error panel.
 */
export function FormDialog<V extends object, F extends keyof V, D, T>({
  title,
  description,
  testIdPrefix,
  initial,
  validate,
  save,
  submitLabel,
  busyLabel,
  onClose,
  onSaved,
  children,
}: FormDialogProps<V, F, D, T>) {
  const { values, errors, change, refuse, formRef } = useFormState<V, F>(initial);
  const { run, running, error } = useAction(save);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validate(values);
    if (!result.ok) {
      refuse(result.errors);
      return;
    }
    const saved = await run(result.draft);
    if (saved) onSaved(saved);
  }

  return (
    <Dialog title={title} description={description} onClose={onClose} testId={`${testIdPrefix}-dialog`}>
      <form ref={formRef} className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        {children({ values, errors, onChange: change })}
        <FormFailure error={error} testIdPrefix={`${testIdPrefix}-form`} />
        <DialogFooter
          onCancel={onClose}
          label={submitLabel}
          busyLabel={busyLabel}
          busy={running}
          testId={`${testIdPrefix}-save`}
        />
      </form>
    </Dialog>
  );
}

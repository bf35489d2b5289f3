import { useCallback, type FormEvent } from "react";
import { useBackend, type Budget, type BudgetDraft } from "../../backend";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { FormFailure } from "../../components/FormFailure";
import { TextField } from "../../components/TextField";
import { useAction } from "../../hooks/useAction";
import { useFormState } from "../../hooks/useFormState";
import { ActionFields } from "./ActionFields";
import { formValues, validateBudgetForm, type BudgetFormField, type BudgetFormValues } from "./budgetForm";
import { ScopeFields } from "./ScopeFields";
import { WindowFields } from "./WindowFields";
import "./BudgetDialog.css";

/** Props of {@link BudgetDialog}. */
export interface BudgetDialogProps {
  /** The budget to edit, or null to create one. */
  budget: Budget | null;
  onClose: () => void;
  /** Called with the budget as stored once it is saved. */
  onSaved: (budget: Budget) => void;
}

/**
 * The create / edit budget dialog. The form is checked before saving (each mistake shown under
 * its input, the first one focused); what the engine still refuses (INVALID_INPUT) is shown as
 * its sentence above the buttons, any other failure as an error panel.
 */
export function BudgetDialog({ budget, onClose, onSaved }: BudgetDialogProps) {
  const backend = useBackend();
  const { values, errors, change, refuse, formRef } = useFormState<BudgetFormValues, BudgetFormField>(() =>
    formValues(budget),
  );
  const save = useCallback(
    (draft: BudgetDraft) => backend.saveBudget(budget?.id ?? null, draft),
    [backend, budget],
  );
  const { run, running, error } = useAction(save);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateBudgetForm(values);
    if (!result.ok) {
      refuse(result.errors);
      return;
    }
    const saved = await run(result.draft);
    if (saved) onSaved(saved);
  }

  return (
    <Dialog
      title={budget ? "Edit budget" : "New budget"}
      description="A spending limit over a period, with alerts on the way."
      onClose={onClose}
      testId="budget-dialog"
    >
      <form ref={formRef} className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          label="Name"
          hint="Optional. Without one, the budget is named after what it covers."
          value={values.name}
          placeholder="Daily cap"
          data-autofocus
          onChange={(name) => change({ name })}
          testId="budget-name"
        />
        <ScopeFields values={values} errors={errors} onChange={change} />
        <WindowFields values={values} errors={errors} onChange={change} />
        <div className="form-row">
          <TextField
            label="Limit (USD)"
            error={errors.limit}
            inputClassName="num"
            inputMode="decimal"
            value={values.limit}
            placeholder="20.00"
            onChange={(limit) => change({ limit })}
            testId="budget-limit"
          />
          <TextField
            label="Alert at (% of the limit)"
            hint="Comma-separated, 1 to 1000. Empty for 50, 80, 100."
            error={errors.thresholds}
            inputClassName="num"
            value={values.thresholds}
            placeholder="50, 80, 100"
            onChange={(thresholds) => change({ thresholds })}
            testId="budget-thresholds"
          />
        </div>
        <ActionFields values={values} onChange={change} />
        <FormFailure error={error} testIdPrefix="budget-form" />
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={running} data-testid="budget-save">
            {running ? "Saving…" : budget ? "Save changes" : "Create budget"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useBackend, type Budget, type BudgetDraft } from "../../backend";
import { Button } from "../../components/Button";
import { CodeText } from "../../components/CodeText";
import { Dialog } from "../../components/Dialog";
import { ErrorPanel } from "../../components/ErrorPanel";
import { FormField } from "../../components/FormField";
import { useAction } from "../../hooks/useAction";
import { ActionFields } from "./ActionFields";
import {
  formValues,
  validateBudgetForm,
  type BudgetFormErrors,
  type BudgetFormField,
  type BudgetFormValues,
} from "./budgetForm";
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
  const [values, setValues] = useState<BudgetFormValues>(() => formValues(budget));
  const [errors, setErrors] = useState<BudgetFormErrors>({});
  const [attempts, setAttempts] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const save = useCallback(
    (draft: BudgetDraft) => backend.saveBudget(budget?.id ?? null, draft),
    [backend, budget],
  );
  const { run, running, error } = useAction(save);

  // After a refused submit, take the user to the first mistake.
  useEffect(() => {
    if (attempts > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  const change = useCallback((patch: Partial<BudgetFormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const field of Object.keys(patch)) delete next[field as BudgetFormField];
      return next;
    });
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateBudgetForm(values);
    if (!result.ok) {
      setErrors(result.errors);
      setAttempts((n) => n + 1);
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
      <form ref={form} className="budget-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormField label="Name" hint="Optional. Without one, the budget is named after what it covers.">
          {(control) => (
            <input
              {...control}
              className="input"
              value={values.name}
              placeholder="Daily cap"
              autoComplete="off"
              data-autofocus
              onChange={(e) => change({ name: e.target.value })}
              data-testid="budget-name"
            />
          )}
        </FormField>
        <ScopeFields values={values} errors={errors} onChange={change} />
        <WindowFields values={values} errors={errors} onChange={change} />
        <div className="budget-form-row">
          <FormField label="Limit (USD)" error={errors.limit}>
            {(control) => (
              <input
                {...control}
                className="input num"
                inputMode="decimal"
                value={values.limit}
                placeholder="20.00"
                autoComplete="off"
                onChange={(e) => change({ limit: e.target.value })}
                data-testid="budget-limit"
              />
            )}
          </FormField>
          <FormField
            label="Alert at (% of the limit)"
            hint="Comma-separated, 1 to 1000. Empty for 50, 80, 100."
            error={errors.thresholds}
          >
            {(control) => (
              <input
                {...control}
                className="input num"
                value={values.thresholds}
                placeholder="50, 80, 100"
                autoComplete="off"
                onChange={(e) => change({ thresholds: e.target.value })}
                data-testid="budget-thresholds"
              />
            )}
          </FormField>
        </div>
        <ActionFields values={values} onChange={change} />
        {error?.code === "INVALID_INPUT" && (
          <p className="field-error budget-form-refused" role="alert" data-testid="budget-form-refused">
            <CodeText text={error.message} />
          </p>
        )}
        {error && error.code !== "INVALID_INPUT" && <ErrorPanel compact error={error} testId="budget-form-error" />}
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

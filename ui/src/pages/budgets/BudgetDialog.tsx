import { useBackend, type Budget } from "../../backend";
import { FormDialog } from "../../components/FormDialog";
import { TextField } from "../../components/TextField";
import { fieldBinder } from "../../hooks/useFormState";
import { ActionFields } from "./ActionFields";
import { formValues, validateBudgetForm } from "./budgetForm";
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
 * The create / edit budget dialog: a name, what it covers, its period, the limit and its alert
 * thresholds, and what happens at the limit; checked before saving (see {@link FormDialog}).
 */
export function BudgetDialog({ budget, onClose, onSaved }: BudgetDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title={budget ? "Edit budget" : "New budget"}
      description="A spending limit over a period, with alerts on the way."
      testIdPrefix="budget"
      initial={() => formValues(budget)}
      validate={validateBudgetForm}
      save={(draft) => backend.saveBudget(budget?.id ?? null, draft)}
      submitLabel={budget ? "Save changes" : "Create budget"}
      busyLabel="Saving…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {(fields) => {
        const field = fieldBinder(fields, "budget");
        return (
          <>
            <TextField
              label="Name"
              hint="Optional. Without one, the budget is named after what it covers."
              placeholder="Daily cap"
              data-autofocus
              {...field("name")}
            />
            <ScopeFields {...fields} />
            <WindowFields {...fields} />
            <div className="form-row">
              <TextField
                label="Limit (USD)"
                inputClassName="num"
                inputMode="decimal"
                placeholder="20.00"
                {...field("limit")}
              />
              <TextField
                label="Alert at (% of the limit)"
                hint="Comma-separated, 1 to 1000. Empty for 50, 80, 100."
                inputClassName="num"
                placeholder="50, 80, 100"
                {...field("thresholds")}
              />
            </div>
            <ActionFields {...fields} />
          </>
        );
      }}
    </FormDialog>
  );
}

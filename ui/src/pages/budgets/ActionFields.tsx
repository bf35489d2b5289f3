import type { BudgetAction } from "../../backend";
import type { BudgetFieldsProps } from "./budgetForm";

const ACTIONS: readonly { value: BudgetAction; label: string; description: string }[] = [
  { value: "alert", label: "Alert only", description: "Notify at each threshold and at the limit." },
  {
    value: "pause",
    label: "Pause at the limit",
    description: "Also pause the gateway (or just the agent, for an agent budget) when the limit is reached.",
  },
];

/** The budget form's "At the limit" choice (alert only / pause) and the auto-resume checkbox for pause. */
export function ActionFields({ values, onChange }: Omit<BudgetFieldsProps, "errors">) {
  const pauses = values.action === "pause";
  return (
    <fieldset className="budget-form-fieldset">
      <legend className="field-legend">At the limit</legend>
      {ACTIONS.map((action) => (
        <label key={action.value} className="budget-form-choice">
          <input
            type="radio"
            name="budget-action"
            value={action.value}
            checked={values.action === action.value}
            onChange={() => onChange({ action: action.value })}
            data-testid={`budget-action-${action.value}`}
          />
          <span>
            <span className="budget-form-choice-label">{action.label}</span>
            <span className="budget-form-choice-description">{action.description}</span>
          </span>
        </label>
      ))}
      <label className="budget-form-choice budget-form-auto-resume">
        <input
          type="checkbox"
          checked={pauses && values.autoResume}
          disabled={!pauses}
          onChange={(e) => onChange({ autoResume: e.target.checked })}
          data-testid="budget-auto-resume"
        />
        <span>
          <span className="budget-form-choice-label">Resume automatically</span>
          <span className="budget-form-choice-description">
            {pauses
              ? "Lift the pause when the period starts again."
              : "Only for budgets that pause at the limit."}
          </span>
        </span>
      </label>
    </fieldset>
  );
}

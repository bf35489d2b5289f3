import type { BudgetAction } from "../../backend";
import { CheckboxChoice } from "../../components/CheckboxChoice";
import { ChoiceGroup, type Choice } from "../../components/ChoiceGroup";
import type { BudgetFieldsProps } from "./budgetForm";

const ACTIONS: readonly Choice<BudgetAction>[] = [
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
    <ChoiceGroup
      legend="At the limit"
      name="budget-action"
      choices={ACTIONS}
      value={values.action}
      onChange={(action) => onChange({ action })}
      testIdPrefix="budget-action"
    >
      <CheckboxChoice
        label="Resume automatically"
        description={
          pauses ? "Lift the pause when the period starts again." : "Only for budgets that pause at the limit."
        }
        checked={pauses && values.autoResume}
        disabled={!pauses}
        onChange={(autoResume) => onChange({ autoResume })}
        className="budget-form-auto-resume"
        testId="budget-auto-resume"
      />
    </ChoiceGroup>
  );
}

import type { BudgetAction } from "../../../backend";
import { ChoiceGroup, type Choice } from "../../../components/ChoiceGroup";
import { isPerSessionRule, type AnomalyKind } from "../../../format/anomaly";
import type { AnomalyFieldsProps } from "./anomalyForm";

/** The choices for a rule of `kind`: what pausing covers depends on whether it fires per session. */
function choices(kind: AnomalyKind): Choice<BudgetAction>[] {
  return [
    { value: "alert", label: "Alert", description: "Notify on the desktop and at every alert destination." },
    {
      value: "pause",
      label: "Alert and pause",
      description: isPerSessionRule(kind)
        ? "Also pause the session it happened in. This rule watches each session on its own, " +
          "so only that session pauses; the others keep running."
        : "Also pause everything until you resume: this rule watches all sessions together, " +
          "so there is no single session to pause.",
    },
  ];
}

/** The Add rule form's "When it fires" choice: alert, or alert and pause (the session, or everything). */
export function AnomalyActionFields({ values, onChange }: Omit<AnomalyFieldsProps, "errors">) {
  return (
    <ChoiceGroup
      legend="When it fires"
      name="anomaly-action"
      choices={choices(values.kind)}
      value={values.action}
      onChange={(action) => onChange({ action })}
      testIdPrefix="anomaly-action"
    />
  );
}

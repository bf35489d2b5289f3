import { FormField } from "../../components/FormField";
import { WINDOW_KIND_LABELS, type WindowKind } from "../../format/budget";
import { MAX_ROLLING_HOURS, type BudgetFieldsProps } from "./budgetForm";

const WINDOW_HINTS: Readonly<Record<WindowKind, string>> = {
  day: "The calendar day; starts again at midnight.",
  week: "Monday to Sunday; starts again on Monday.",
  month: "The calendar month; starts again on the 1st.",
  rolling: "The last N hours, sliding: spend drops out as it gets older.",
};

/** The budget form's period select and, for a rolling window, its number of hours. */
export function WindowFields({ values, errors, onChange }: BudgetFieldsProps) {
  return (
    <div className="budget-form-row">
      <FormField label="Period" hint={WINDOW_HINTS[values.windowKind]}>
        {(control) => (
          <select
            {...control}
            className="input"
            value={values.windowKind}
            onChange={(e) => onChange({ windowKind: e.target.value as WindowKind })}
            data-testid="budget-window-kind"
          >
            {Object.entries(WINDOW_KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {values.windowKind === "rolling" && (
        <FormField label="Hours" hint={`1 to ${MAX_ROLLING_HOURS}.`} error={errors.hours}>
          {(control) => (
            <input
              {...control}
              className="input num"
              inputMode="numeric"
              value={values.hours}
              onChange={(e) => onChange({ hours: e.target.value })}
              data-testid="budget-hours"
            />
          )}
        </FormField>
      )}
    </div>
  );
}

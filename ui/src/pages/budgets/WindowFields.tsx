import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { WINDOW_KIND_LABELS, type WindowKind } from "../../format/budget";
import { fieldBinder } from "../../hooks/useFormState";
import { MAX_ROLLING_HOURS, type BudgetFieldsProps } from "./budgetForm";

const WINDOW_HINTS: Readonly<Record<WindowKind, string>> = {
  day: "The calendar day; starts again at midnight.",
  week: "Monday to Sunday; starts again on Monday.",
  month: "The calendar month; starts again on the 1st.",
  rolling: "The last N hours, sliding: spend drops out as it gets older.",
};

/** The budget form's period select and, for a rolling window, its number of hours. */
export function WindowFields(props: BudgetFieldsProps) {
  const { windowKind } = props.values;
  const field = fieldBinder(props, "budget");
  return (
    <div className="form-row">
      <SelectField
        label="Period"
        hint={WINDOW_HINTS[windowKind]}
        options={WINDOW_KIND_LABELS}
        {...field("windowKind")}
      />
      {windowKind === "rolling" && (
        <TextField
          label="Hours"
          hint={`1 to ${MAX_ROLLING_HOURS}.`}
          inputClassName="num"
          inputMode="numeric"
          {...field("hours")}
        />
      )}
    </div>
  );
}

import { MonoField } from "../../components/MonoField";
import { SelectField } from "../../components/SelectField";
import { SCOPE_KIND_LABELS, type ScopeKind } from "../../format/budget";
import { fieldBinder } from "../../hooks/useFormState";
import { SCOPE_VALUE_PLACEHOLDERS, type BudgetFieldsProps } from "./budgetForm";

const SCOPE_HINTS: Readonly<Record<ScopeKind, string>> = {
  all: "Every model call counts.",
  agent: "The agent id, as in OpenClaw.",
  model: "provider/model, or a bare model id for any provider.",
  provider: "The provider id, e.g. anthropic or openai.",
  session: "The OpenClaw session key.",
  cronJob: "The cron job id: every run of the job counts.",
};

/** The budget form's "Applies to" select and, unless all spend, which agent / model / … it is. */
export function ScopeFields(props: BudgetFieldsProps) {
  const kind = props.values.scopeKind;
  const field = fieldBinder(props, "budget");
  return (
    <div className="form-row">
      <SelectField
        label="Applies to"
        hint={kind === "all" ? SCOPE_HINTS.all : undefined}
        options={SCOPE_KIND_LABELS}
        {...field("scopeKind")}
      />
      {kind !== "all" && (
        <MonoField
          label={SCOPE_KIND_LABELS[kind]}
          hint={SCOPE_HINTS[kind]}
          placeholder={SCOPE_VALUE_PLACEHOLDERS[kind]}
          {...field("scopeValue")}
        />
      )}
    </div>
  );
}

import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { SCOPE_KIND_LABELS, type ScopeKind } from "../../format/budget";
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
export function ScopeFields({ values, errors, onChange }: BudgetFieldsProps) {
  const kind = values.scopeKind;
  return (
    <div className="form-row">
      <SelectField
        label="Applies to"
        hint={kind === "all" ? SCOPE_HINTS.all : undefined}
        value={kind}
        options={SCOPE_KIND_LABELS}
        onChange={(scopeKind) => onChange({ scopeKind })}
        testId="budget-scope-kind"
      />
      {kind !== "all" && (
        <TextField
          label={SCOPE_KIND_LABELS[kind]}
          hint={SCOPE_HINTS[kind]}
          error={errors.scopeValue}
          inputClassName="mono"
          value={values.scopeValue}
          placeholder={SCOPE_VALUE_PLACEHOLDERS[kind]}
          spellCheck={false}
          onChange={(scopeValue) => onChange({ scopeValue })}
          testId="budget-scope-value"
        />
      )}
    </div>
  );
}

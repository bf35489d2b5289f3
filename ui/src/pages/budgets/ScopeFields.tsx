import { FormField } from "../../components/FormField";
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
    <div className="budget-form-row">
      <FormField label="Applies to" hint={kind === "all" ? SCOPE_HINTS.all : undefined}>
        {(control) => (
          <select
            {...control}
            className="input"
            value={kind}
            onChange={(e) => onChange({ scopeKind: e.target.value as ScopeKind })}
            data-testid="budget-scope-kind"
          >
            {Object.entries(SCOPE_KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {kind !== "all" && (
        <FormField label={SCOPE_KIND_LABELS[kind]} hint={SCOPE_HINTS[kind]} error={errors.scopeValue}>
          {(control) => (
            <input
              {...control}
              className="input mono"
              value={values.scopeValue}
              placeholder={SCOPE_VALUE_PLACEHOLDERS[kind]}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onChange({ scopeValue: e.target.value })}
              data-testid="budget-scope-value"
            />
          )}
        </FormField>
      )}
    </div>
  );
}

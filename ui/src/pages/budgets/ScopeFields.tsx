import { useCallback } from "react";
import { useBackend } from "../../backend";
import { MonoField } from "../../components/MonoField";
import { SelectField } from "../../components/SelectField";
import { SCOPE_KIND_LABELS, type ScopeKind } from "../../format/budget";
import { useAsync } from "../../hooks/useAsync";
import { fieldBinder } from "../../hooks/useFormState";
import { SCOPE_VALUE_PLACEHOLDERS, type BudgetFieldsProps } from "./budgetForm";

const SCOPE_HINTS: Readonly<Record<ScopeKind, string>> = {
  all: "Every model call counts.",
  agent: "The agent id, as in OpenClaw (no agent has run a session yet).",
  model: "provider/model, or a bare model id for any provider.",
  provider: "The provider id, e.g. anthropic or openai.",
  session: "The OpenClaw session key.",
  cronJob: "The cron job id: every run of the job counts.",
};

/** Every agent the ledger knows (it has a session); none while loading or when that fails. */
function useKnownAgents(): string[] {
  const backend = useBackend();
  const { state } = useAsync(useCallback(() => backend.sessions({ limit: 1 }), [backend]));
  return state.status === "ready" ? state.data.agents : [];
}

/** The budget form's "Applies to" select and, unless all spend, which agent / model / … it is. */
export function ScopeFields(props: BudgetFieldsProps) {
  const kind = props.values.scopeKind;
  const field = fieldBinder(props, "budget");
  const known = useKnownAgents();
  // The agent being edited stays a choice, even when it has no session any more.
  const agents = [...new Set([...known, ...(kind === "agent" && props.values.scopeValue ? [props.values.scopeValue] : [])])].sort();
  return (
    <div className="form-row">
      <SelectField
        label="Applies to"
        hint={kind === "all" ? SCOPE_HINTS.all : undefined}
        options={SCOPE_KIND_LABELS}
        {...field("scopeKind")}
      />
      {kind === "agent" && agents.length > 0 && (
        <SelectField
          label={SCOPE_KIND_LABELS.agent}
          hint="Every agent that has run a session."
          options={Object.fromEntries([["", "Choose an agent"], ...agents.map((a) => [a, a])]) as Record<string, string>}
          {...field("scopeValue")}
        />
      )}
      {kind !== "all" && !(kind === "agent" && agents.length > 0) && (
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

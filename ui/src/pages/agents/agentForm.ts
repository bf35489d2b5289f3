import type { AgentDraft, AgentEdit, AgentRow } from "../../backend";
import type { FormErrors, FormResult } from "../../hooks/useFormState";

/** What the agent form holds, as typed. */
export interface AgentFormValues {
  name: string;
  model: string;
  workspace: string;
  emoji: string;
}

/** The inputs that can be invalid. */
export type AgentFormField = "name" | "model";

/** An empty form (a new agent). */
export const NEW_AGENT: AgentFormValues = { name: "", model: "", workspace: "", emoji: "" };

/** The form for changing `agent`. */
export function editValues(agent: AgentRow): AgentFormValues {
  return { name: agent.name, model: agent.model ?? "", workspace: agent.workspace ?? "", emoji: agent.emoji ?? "" };
}

/** OpenClaw's agent id for a name: lowercase, other characters as one dash, no dash at the ends. */
export function agentIdOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

function check(values: AgentFormValues): FormErrors<AgentFormField> {
  const errors: FormErrors<AgentFormField> = {};
  if (!agentIdOf(values.name)) errors.name = "Enter a name with at least one letter or digit.";
  const model = values.model.trim();
  if (model && !/^[^/\s]+\/\S+$/.test(model)) errors.model = "Write it as provider/model, e.g. anthropic/claude-sonnet-4-5.";
  return errors;
}

const orNull = (text: string) => text.trim() || null;

/** Checks a new agent as the engine will. */
export function validateNewAgent(values: AgentFormValues): FormResult<AgentDraft, AgentFormField> {
  const errors = check(values);
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: { name: values.name.trim(), model: orNull(values.model), workspace: orNull(values.workspace), emoji: orNull(values.emoji) },
  };
}

/** Checks changes to an agent: only what changed is sent. */
export function validateAgentEdit(agent: AgentRow) {
  return (values: AgentFormValues): FormResult<AgentEdit, AgentFormField> => {
    const errors = check(values);
    if (Object.keys(errors).length) return { ok: false, errors };
    const changed = (now: string, was: string | null) => (now.trim() !== (was ?? "") ? now.trim() : null);
    return {
      ok: true,
      draft: { name: changed(values.name, agent.name), model: changed(values.model, agent.model), emoji: changed(values.emoji, agent.emoji) },
    };
  };
}

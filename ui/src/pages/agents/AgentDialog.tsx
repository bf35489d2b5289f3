import { useBackend, type AgentRow } from "../../backend";
import { FormDialog } from "../../components/FormDialog";
import { MonoField } from "../../components/MonoField";
import { TextField } from "../../components/TextField";
import { fieldBinder } from "../../hooks/useFormState";
import { agentIdOf, editValues, NEW_AGENT, validateAgentEdit, validateNewAgent } from "./agentForm";

/** Props of {@link AgentDialog}. */
export interface AgentDialogProps {
  /** The agent to change; a new agent when absent. */
  agent?: AgentRow;
  onClose: () => void;
  onSaved: () => void;
}

/** The New agent and Edit agent dialog: name (its id follows), model, workspace (new only), emoji. */
export function AgentDialog({ agent, onClose, onSaved }: AgentDialogProps) {
  const backend = useBackend();
  const editing = agent !== undefined;
  const fieldsOf = (fields: Parameters<typeof fieldBinder<typeof NEW_AGENT, "name" | "model">>[0]) => {
    const field = fieldBinder(fields, "agent");
    const id = agentIdOf(fields.values.name);
    return (
      <>
        <div className="form-row">
          <TextField
            label="Name"
            hint={editing ? `Its id stays ${agent.id}.` : id ? `Its id will be ${id}.` : "Its id is made from it."}
            data-autofocus
            {...field("name")}
          />
          <TextField label="Emoji" hint="Optional, shown with its name." {...field("emoji")} />
        </div>
        <MonoField
          label="Model"
          hint="provider/model, as in openclaw.json; empty: the gateway's default."
          placeholder="anthropic/claude-sonnet-4-5"
          {...field("model")}
        />
        {!editing && (
          <MonoField label="Workspace" hint="Its directory; empty: OpenClaw's default." {...field("workspace")} />
        )}
      </>
    );
  };
  return editing ? (
    <FormDialog
      title={`Edit ${agent.name}`}
      description="Changes go to OpenClaw through the gateway, which updates openclaw.json."
      testIdPrefix="agent"
      initial={() => editValues(agent)}
      validate={validateAgentEdit(agent)}
      // (It answers null, and the dialog closes on what `save` gives.)
      save={(edit) => backend.editAgent(agent.id, edit).then(() => true)}
      submitLabel="Save"
      busyLabel="Saving…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {fieldsOf}
    </FormDialog>
  ) : (
    <FormDialog
      title="New agent"
      description="OpenClaw makes the agent and its workspace; it is ready to chat at once."
      testIdPrefix="agent"
      initial={() => ({ ...NEW_AGENT })}
      validate={validateNewAgent}
      save={(draft) => backend.createAgent(draft)}
      submitLabel="Create agent"
      busyLabel="Creating…"
      onClose={onClose}
      onSaved={onSaved}
    >
      {fieldsOf}
    </FormDialog>
  );
}

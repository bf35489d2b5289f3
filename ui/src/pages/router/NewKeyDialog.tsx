import { useBackend, type CreatedKey } from "../../backend";
import { FormDialog } from "../../components/FormDialog";
import { MonoField } from "../../components/MonoField";
import { TextField } from "../../components/TextField";
import { fieldBinder } from "../../hooks/useFormState";
import { NEW_KEY, validateKeyForm } from "./keyForm";

/** Props of {@link NewKeyDialog}. */
export interface NewKeyDialogProps {
  onClose: () => void;
  /** Called with the key just made (shown once by the caller). */
  onCreated: (created: CreatedKey) => void;
}

/** The New key dialog: the agent, a name, the models it may call and its limits. */
export function NewKeyDialog({ onClose, onCreated }: NewKeyDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title="New router key"
      description="A key for one agent: every call made with it is that agent's in the ledger and answers to its limits."
      testIdPrefix="router-key"
      initial={() => ({ ...NEW_KEY })}
      validate={validateKeyForm}
      save={(draft) => backend.createRouterKey(draft)}
      submitLabel="Create key"
      busyLabel="Creating…"
      onClose={onClose}
      onSaved={onCreated}
    >
      {(fields) => {
        const field = fieldBinder(fields, "router-key");
        return (
          <>
            <MonoField label="Agent" hint="Its id in OpenClaw (main, coder…), or any name for a script." data-autofocus {...field("agentId")} />
            <TextField label="Name" hint="To recognize the key by; the agent id when empty." {...field("name")} />
            <MonoField label="Models" hint="Comma-separated, as requests name them; empty: any model." {...field("models")} />
            <TextField label="Requests per minute" hint="Empty: no limit." inputMode="numeric" {...field("rpm")} />
            <TextField label="Tokens per minute" hint="Empty: no limit." inputMode="numeric" {...field("tpm")} />
            <TextField label="Calls at once" hint="Empty: no limit." inputMode="numeric" {...field("maxParallel")} />
          </>
        );
      }}
    </FormDialog>
  );
}

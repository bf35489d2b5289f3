import { useBackend, type ProviderStatus, type RouterStatus } from "../../backend";
import { FormDialog } from "../../components/FormDialog";
import { SecretField } from "../../components/SecretField";
import { fieldBinder, type FormResult } from "../../hooks/useFormState";

/** The dialog's one input. */
interface ProviderKeyValues {
  key: string;
}

/** A key is whatever the provider issued: only an empty one is refused here. */
function validate({ key }: ProviderKeyValues): FormResult<string, "key"> {
  return key.trim() ? { ok: true, draft: key.trim() } : { ok: false, errors: { key: "Enter the provider's API key." } };
}

/** Props of {@link ProviderKeyDialog}. */
export interface ProviderKeyDialogProps {
  /** A provider whose key router.toml keeps in the OS keyring (`keyring` set). */
  provider: ProviderStatus;
  onClose: () => void;
  /** Called with the router's status once the key is stored and in use. */
  onStored: (status: RouterStatus) => void;
}

/**
 * Stores a provider's API key in the OS keyring under the name router.toml gives it, typed into
 * a password input (never shown again); the running router uses it from the next call.
 */
export function ProviderKeyDialog({ provider, onClose, onStored }: ProviderKeyDialogProps) {
  const backend = useBackend();
  return (
    <FormDialog
      title={`API key for “${provider.id}”`}
      description={`Kept in the OS keyring as “${provider.keyring ?? ""}”, where router.toml says to find it. The router uses it from the next call.`}
      testIdPrefix="provider-key"
      initial={() => ({ key: "" })}
      validate={validate}
      save={(key) => backend.storeProviderKey(provider.id, key)}
      submitLabel="Store key"
      busyLabel="Storing…"
      onClose={onClose}
      onSaved={onStored}
    >
      {(fields) => (
        <SecretField label="API key" data-autofocus {...fieldBinder(fields, "provider-key")("key")} />
      )}
    </FormDialog>
  );
}

import { useState } from "react";
import type { CreatedKey } from "../../backend";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { MonoField } from "../../components/MonoField";

/** Props of {@link ShowKeyDialog}. */
export interface ShowKeyDialogProps {
  created: CreatedKey;
  endpoint: string | null;
  onClose: () => void;
}

/** Shows a key just made, the one time it is ever shown, with Copy. */
export function ShowKeyDialog({ created, endpoint, onClose }: ShowKeyDialogProps) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(created.key).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <Dialog
      title={`Key for ${created.view.agentId}`}
      description="Store it now: Clawtower keeps only a hash and cannot show it again."
      onClose={onClose}
      testId="router-key-created"
    >
      <MonoField label="Key" value={created.key} onChange={() => {}} readOnly testId="router-key-value" />
      {endpoint && (
        <p>
          Point the agent at <code>{endpoint}</code> with this key as its API key (OpenAI SDKs send it as
          <code> Authorization: Bearer</code>, Anthropic's as <code>x-api-key</code>).
        </p>
      )}
      {copied === false && <p role="alert">Copying was not allowed: select the key and copy it yourself.</p>}
      <div className="dialog-footer">
        <Button onClick={copy} data-testid="router-key-copy">
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="primary" onClick={onClose} data-autofocus data-testid="router-key-done">
          Done
        </Button>
      </div>
    </Dialog>
  );
}

import { useCallback } from "react";
import { useBackend, type GatewayEntry, type GatewayStatus } from "../../backend";
import { Button } from "../../components/Button";
import { FormFailure } from "../../components/FormFailure";
import { useAction } from "../../hooks/useAction";
import "./ForgetCredential.css";

/** Props of {@link ForgetCredential}. */
export interface ForgetCredentialProps {
  gateway: GatewayEntry;
  /** Called with every gateway once the entered credential is forgotten. */
  onForgotten: (all: GatewayStatus[]) => void;
}

/**
 * "Forget entered credential", for a gateway that is sent a token or password: says what
 * happens then (the local gateway falls back to openclaw.json's, another one gets none) and
 * forgets it; why it failed, if it did.
 */
export function ForgetCredential({ gateway, onForgotten }: ForgetCredentialProps) {
  const backend = useBackend();
  const { run, running, error } = useAction(
    useCallback((id: number) => backend.setGatewayCredential(id, null), [backend]),
  );
  const forget = () => {
    void run(gateway.id).then((all) => {
      if (all !== undefined) onForgotten(all);
    });
  };
  return (
    <div className="gateway-forget" data-testid="gateway-credential-forget-section">
      <p className="field-hint">
        {gateway.local
          ? "Forgetting the token or password entered here makes Clawtower use the one in openclaw.json again, if there is one."
          : "Forgetting it makes Clawtower connect without a token or password."}
      </p>
      <Button
        variant="ghost"
        icon="trash"
        onClick={forget}
        disabled={running}
        data-testid="gateway-credential-forget"
      >
        {running ? "Forgetting…" : "Forget entered credential"}
      </Button>
      <FormFailure error={error} testIdPrefix="gateway-credential-forget" />
    </div>
  );
}

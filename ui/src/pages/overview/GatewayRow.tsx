import type { GatewayStatus } from "../../backend";
import { Button } from "../../components/Button";
import { credentialAction, credentialPhrase } from "../../format/gateway";
import { GatewayConnection } from "./GatewayConnection";
import "./GatewayRow.css";

/** Props of {@link GatewayRow}. */
export interface GatewayRowProps {
  status: GatewayStatus;
  /** Opens the dialog to enter, change or forget the token or password. */
  onCredential: () => void;
  /** Removes the gateway (only offered for gateways added by URL). */
  onRemove: () => void;
  /** Disables Remove (while a removal runs). */
  removing?: boolean;
}

/**
 * One followed gateway: its name (marked Local for the one found in openclaw.json), URL and what
 * Clawtower sends to authenticate (never the secret), its live connection, whether budgets pause
 * it; a credential button (primary when the gateway refused for want of a token or password) and
 * Remove for gateways added by URL.
 */
export function GatewayRow({ status, onCredential, onRemove, removing = false }: GatewayRowProps) {
  const { gateway } = status;
  const action = credentialAction(status);
  return (
    <li
      className="list-row gateway-row"
      data-testid="gateway-row"
      data-gateway-id={gateway.id}
      data-state={status.state}
    >
      <div className="list-row-main">
        <div className="list-row-head">
          <span className="list-row-name" data-testid="gateway-row-name">
            {gateway.name}
          </span>
          {gateway.local && (
            <span className="gateway-row-tag" data-testid="gateway-local" title="Found in openclaw.json on this machine">
              Local
            </span>
          )}
        </div>
        <ul className="list-row-meta">
          <li className="mono" data-testid="gateway-row-url">
            {gateway.url}
          </li>
          <li data-testid="gateway-row-credential">{credentialPhrase(gateway.credential)}</li>
        </ul>
        <GatewayConnection status={status} />
        {gateway.controlled && (
          <p className="gateway-row-note" data-testid="gateway-controlled">
            Budgets pause this gateway
          </p>
        )}
      </div>
      <div className="list-row-actions">
        <Button
          variant={action.prominent ? "primary" : "ghost"}
          icon="key"
          onClick={onCredential}
          aria-label={`${action.label} for ${gateway.name}`}
          data-testid={`gateway-credential-${gateway.id}`}
        >
          {action.label}
        </Button>
        {!gateway.local && (
          <Button
            variant="ghost"
            icon="trash"
            onClick={onRemove}
            disabled={removing}
            aria-label={`Remove ${gateway.name}`}
            data-testid={`gateway-remove-${gateway.id}`}
          >
            Remove
          </Button>
        )}
      </div>
    </li>
  );
}

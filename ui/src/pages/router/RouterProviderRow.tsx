import type { ProviderStatus } from "../../backend";
import { Button } from "../../components/Button";
import { StatusBadge } from "../../components/StatusBadge";
import { providerHealth } from "../../format/router";

/** Props of {@link RouterProviderRow}. */
export interface RouterProviderRowProps {
  provider: ProviderStatus;
  /** When the page was opened (an open circuit's wait is told from it). */
  now: number;
  /** Opens the dialog that stores its key (offered when router.toml keeps it in the OS keyring). */
  onStoreKey: () => void;
}

/**
 * One provider of the router: its health (and why it is skipped), where its calls go, its
 * protocol and models; "Store key" when its key is kept in the OS keyring ("Replace key" once
 * one is in use).
 */
export function RouterProviderRow({ provider, now, onStoreKey }: RouterProviderRowProps) {
  const health = providerHealth(provider, now);
  return (
    <li className="list-row" data-testid="router-provider" data-provider={provider.id}>
      <div className="list-row-main">
        <div className="list-row-head">
          <span className="list-row-name">{provider.id}</span>
          <StatusBadge status={health.status} label={health.label} testId="router-provider-health" />
        </div>
        <ul className="list-row-meta">
          <li className="mono">{provider.baseUrl}</li>
          <li>{provider.kind === "anthropic" ? "Anthropic" : "OpenAI-compatible"}</li>
          <li>{provider.models.length ? provider.models.join(", ") : "Any model it is asked for"}</li>
          {provider.keyring && <li>Key in the OS keyring as “{provider.keyring}”</li>}
        </ul>
        {health.detail && <p className="router-provider-detail">{health.detail}</p>}
      </div>
      {provider.keyring && (
        <div className="list-row-actions">
          <Button
            variant={provider.disabled ? "primary" : "ghost"}
            icon="key"
            onClick={onStoreKey}
            aria-label={`${provider.disabled ? "Store" : "Replace"} the API key of ${provider.id}`}
            data-testid="router-provider-store-key"
          >
            {provider.disabled ? "Store key" : "Replace key"}
          </Button>
        </div>
      )}
    </li>
  );
}

import { useState } from "react";
import type { ProviderStatus, RouterStatus } from "../../backend";
import { Button } from "../../components/Button";
import { Callout } from "../../components/Callout";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { KeyValueList } from "../../components/KeyValueList";
import { SkeletonLines } from "../../components/SkeletonLines";
import type { AsyncResult } from "../../hooks/useAsync";
import { ProviderKeyDialog } from "./ProviderKeyDialog";
import { RouterProviderRow } from "./RouterProviderRow";
import "./RouterStatusCard.css";

/** The smallest router.toml that routes to one provider, for the "not set up" state. */
const EXAMPLE = `[[providers]]
id = "openai"
kind = "openai"
base_url = "https://api.openai.com/v1"
api_key = "\${OPENAI_API_KEY}"
models = ["gpt-5-mini"]`;

/**
 * The router's state: where agents send their calls and each provider's health while it runs
 * (a key kept in the OS keyring stored from here); how to set it up when there is no
 * router.toml; why it did not start when it failed.
 */
export function RouterStatusCard({ router }: { router: AsyncResult<RouterStatus> }) {
  const { state, reload, refresh } = router;
  const status = state.status === "ready" ? state.data : undefined;
  const [now] = useState(() => Date.now());
  const [storingKey, setStoringKey] = useState<ProviderStatus | null>(null);
  const onStored = () => {
    setStoringKey(null);
    refresh();
  };
  return (
    <Card
      title="Model router"
      description="One local OpenAI- and Anthropic-compatible endpoint between your agents and their providers: per-agent keys, fallbacks, every call metered, budgets enforced before a call goes out."
      testId="router-status"
      actions={
        <Button variant="ghost" icon="refresh" onClick={refresh} data-testid="router-refresh">
          Refresh
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["50%", "70%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="router-error" />}
      {status?.state === "off" && (
        <div data-testid="router-off">
          <p>
            The router is not set up. Create <code>{status.configPath}</code> with your providers, then
            restart Clawtower; keys come from environment variables, never from the file:
          </p>
          <pre className="router-example">{EXAMPLE}</pre>
        </div>
      )}
      {status?.state === "failed" && (
        <Callout tone="warn" testId="router-failed">
          The router did not start: {status.error}. Fix <code>{status.configPath}</code> and restart
          Clawtower.
        </Callout>
      )}
      {status?.state === "running" && (
        <>
          <KeyValueList
            items={[
              { label: "Endpoint", value: status.endpoint ?? "", mono: true, testId: "router-endpoint" },
              { label: "Config", value: status.configPath, mono: true },
              {
                label: "Aliases",
                value: status.aliases.length ? status.aliases.join(", ") : "None",
              },
              { label: "Rules for auto", value: status.rules.length ? status.rules.join(" → ") : "None" },
            ]}
          />
          <ul className="router-providers" aria-label="Providers" data-testid="router-providers">
            {status.providers.map((provider) => (
              <RouterProviderRow
                key={provider.id}
                provider={provider}
                now={now}
                onStoreKey={() => setStoringKey(provider)}
              />
            ))}
          </ul>
        </>
      )}
      {storingKey && (
        <ProviderKeyDialog provider={storingKey} onClose={() => setStoringKey(null)} onStored={onStored} />
      )}
    </Card>
  );
}

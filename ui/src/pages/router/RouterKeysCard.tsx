import { useCallback, useState } from "react";
import { useBackend, type CreatedKey, type KeyView } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { keyLimitsPhrase, keyState } from "../../format/router";
import { useAsync } from "../../hooks/useAsync";
import { NewKeyDialog } from "./NewKeyDialog";
import { RevokeKeyDialog } from "./RevokeKeyDialog";
import { ShowKeyDialog } from "./ShowKeyDialog";

const STATE_BADGE = {
  active: { status: "ok", label: "Active" },
  expired: { status: "warn", label: "Expired" },
  revoked: { status: "missing", label: "Revoked" },
} as const;

/** Props of {@link RouterKeysCard}. */
export interface RouterKeysCardProps {
  /** Where agents send calls (shown with a new key), while the router runs. */
  endpoint: string | null;
}

/** The router keys: each with its agent, models and limits; New key (shown once) and Revoke. */
export function RouterKeysCard({ endpoint }: RouterKeysCardProps) {
  const backend = useBackend();
  const { state, reload, refresh } = useAsync(useCallback(() => backend.routerKeys(), [backend]));
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<KeyView | null>(null);
  const keys = state.status === "ready" ? state.data : undefined;
  const [now] = useState(() => Date.now());

  return (
    <Card
      title="Keys"
      description="One per agent: a call's key decides whose call it is in the ledger, what it may call and how fast."
      testId="router-keys"
      actions={
        <Button variant="ghost" icon="plus" onClick={() => setAdding(true)} data-testid="add-router-key">
          New key
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["60%", "45%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="router-keys-error" />}
      {keys?.length === 0 && (
        <p data-testid="router-keys-empty">No keys yet: the router refuses calls without one. New key makes the first.</p>
      )}
      {keys && keys.length > 0 && (
        <ul className="router-keys" aria-label="Router keys" data-testid="router-key-list">
          {keys.map((key) => {
            const keyStatus = keyState(key, now);
            return (
              <li key={key.id} className="list-row" data-testid="router-key-row" data-state={keyStatus}>
                <div className="list-row-main">
                  <div className="list-row-head">
                    <span className="list-row-name">{key.name}</span>
                    <StatusBadge {...STATE_BADGE[keyStatus]} />
                  </div>
                  <ul className="list-row-meta">
                    <li className="mono">{key.prefix}…</li>
                    <li>agent {key.agentId}</li>
                    <li>{key.models.length ? key.models.join(", ") : "Any model"}</li>
                    <li data-testid="router-key-limits">{keyLimitsPhrase(key)}</li>
                  </ul>
                </div>
                {keyStatus === "active" && (
                  <div className="list-row-actions">
                    <Button variant="ghost" icon="trash" onClick={() => setRevoking(key)} data-testid="revoke-router-key">
                      Revoke
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {adding && (
        <NewKeyDialog
          onClose={() => setAdding(false)}
          onCreated={(made) => {
            setAdding(false);
            setCreated(made);
            refresh();
          }}
        />
      )}
      {created && <ShowKeyDialog created={created} endpoint={endpoint} onClose={() => setCreated(null)} />}
      {revoking && (
        <RevokeKeyDialog
          routerKey={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setRevoking(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

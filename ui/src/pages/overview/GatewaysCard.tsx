import { useState } from "react";
import type { GatewayStatus } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SkeletonLines } from "../../components/SkeletonLines";
import { UndoSnackbar } from "../../components/UndoSnackbar";
import { useGatewayRemoval } from "../../hooks/useGatewayRemoval";
import { useGateways } from "../../hooks/useGateways";
import { GatewayCredentialDialog } from "./GatewayCredentialDialog";
import { GatewayDialog } from "./GatewayDialog";
import { GatewayRow } from "./GatewayRow";
import { GatewaysEmpty } from "./GatewaysEmpty";
import "./GatewaysCard.css";

/** The dialog open now: Add gateway, or the credential of one gateway (by id, so it follows the live list). */
type OpenDialog = { kind: "add" } | { kind: "credential"; id: number } | null;

/**
 * The "Gateways" card: every followed gateway (the local one first, then those added by URL)
 * with its live connection, its credential button and Remove (with undo) for added ones; Add
 * gateway; loading, error (with Retry) and empty states. The list follows `gateways-changed`,
 * and each command's answer (every gateway) replaces it at once.
 */
export function GatewaysCard() {
  const { state, reload, setData } = useGateways();
  const removal = useGatewayRemoval(setData);
  const [open, setOpen] = useState<OpenDialog>(null);
  const gateways = state.status === "ready" ? state.data : undefined;
  const credentialOf = open?.kind === "credential" ? gateways?.find((g) => g.gateway.id === open.id) : undefined;

  const add = () => setOpen({ kind: "add" });
  const close = () => setOpen(null);
  const onSaved = (all: GatewayStatus[]) => {
    setOpen(null);
    setData(all);
  };

  return (
    <Card
      title="Gateways"
      description="The OpenClaw gateways Clawtower follows live: the one on this machine and any you add by URL."
      className="gateways-card"
      testId="gateways-card"
      actions={
        <Button variant="ghost" icon="plus" onClick={add} data-testid="add-gateway">
          Add gateway
        </Button>
      }
    >
      {removal.error && <ErrorPanel compact error={removal.error} testId="gateway-removal-error" />}
      {state.status === "loading" && <SkeletonLines widths={["65%", "50%", "58%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="gateways-error" />}
      {gateways?.length === 0 && <GatewaysEmpty onAdd={add} />}
      {gateways && gateways.length > 0 && (
        <ul className="gateway-list" data-testid="gateway-list" aria-label="Gateways">
          {gateways.map((status) => (
            <GatewayRow
              key={status.gateway.id}
              status={status}
              onCredential={() => setOpen({ kind: "credential", id: status.gateway.id })}
              onRemove={() => removal.remove(status.gateway)}
              removing={removal.removing}
            />
          ))}
        </ul>
      )}
      {open?.kind === "add" && <GatewayDialog onClose={close} onSaved={onSaved} />}
      {credentialOf && (
        <GatewayCredentialDialog
          key={credentialOf.gateway.id}
          status={credentialOf}
          onClose={close}
          onSaved={onSaved}
        />
      )}
      <UndoSnackbar
        removal={removal}
        message={(gateway) => `Gateway “${gateway.name}” removed`}
        testId="gateway-removed"
      />
    </Card>
  );
}

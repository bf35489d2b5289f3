import type { GatewayStatus } from "../../backend";
import { CodeText } from "../../components/CodeText";
import { StatusBadge } from "../../components/StatusBadge";
import { gatewayBadge, gatewayFailure } from "../../format/gateway";
import "./GatewayConnection.css";

/**
 * What the engine says to do about a connection: the failure in full when it failed, or why a
 * live connection is read-only (connected without operator.admin: watching works, pausing does
 * not); else nothing.
 */
function message(status: GatewayStatus): string | null {
  if (status.state === "error") return gatewayFailure(status);
  if (status.state === "live" && !status.canControl) return status.errorMessage ?? null;
  return null;
}

/**
 * The connection to one gateway: a status badge (Live, Connecting…, Error; the error code as its
 * tooltip), the OpenClaw version when live, and the engine's sentence saying what to do, with
 * commands as code.
 */
export function GatewayConnection({ status }: { status: GatewayStatus }) {
  const badge = gatewayBadge(status.state);
  const version = status.state === "live" && status.serverVersion ? `OpenClaw ${status.serverVersion}` : null;
  const text = message(status);
  return (
    <div className="gateway-connection" data-testid="gateway-status" data-state={status.state}>
      <StatusBadge status={badge.status} label={badge.label} title={status.errorCode ?? undefined} />
      {version && <span data-testid="gateway-version">{version}</span>}
      {text && (
        <p className="gateway-status-message" data-testid="gateway-status-message">
          <CodeText text={text} />
        </p>
      )}
    </div>
  );
}

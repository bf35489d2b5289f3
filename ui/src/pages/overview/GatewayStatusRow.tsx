import type { ReactNode } from "react";
import type { CheckStatus, GatewayStatus } from "../../backend";
import { CodeText } from "../../components/CodeText";
import { KeyValueList } from "../../components/KeyValueList";
import { Skeleton } from "../../components/Skeleton";
import { StatusBadge } from "../../components/StatusBadge";
import { gatewayFailure } from "../../format/gateway";
import { useGatewayStatus } from "../../hooks/useGatewayStatus";
import "./GatewayStatusRow.css";

/** Badge colour and text of each gateway state; an unknown state shows neutral with its name. */
const BADGES: Record<string, { status: CheckStatus; label: string } | undefined> = {
  live: { status: "ok", label: "Live" },
  connecting: { status: "missing", label: "Connecting…" },
  error: { status: "error", label: "Error" },
  none: { status: "missing", label: "Off" },
};

/** What follows the badge: version and URL, the failure in full (it says what to do), or why there is none. */
function detail(status: GatewayStatus): ReactNode {
  if (status.state === "none") return <span>No gateway configured</span>;
  if (status.state === "error") {
    return (
      <p className="gateway-status-message" data-testid="gateway-status-message">
        <CodeText text={gatewayFailure(status)} />
      </p>
    );
  }
  const version = status.state === "live" && status.serverVersion ? `OpenClaw ${status.serverVersion}` : null;
  const line = <span>{[version, status.url].filter(Boolean).join(" · ")}</span>;
  if (status.state === "live" && !status.canControl && status.errorMessage) {
    // Connected without operator.admin: watching works, pausing does not; say what to do.
    return (
      <>
        {line}
        <p className="gateway-status-message" data-testid="gateway-status-message">
          <CodeText text={status.errorMessage} />
        </p>
      </>
    );
  }
  return line;
}

/** The gateway connection as a "Gateway" row: a status badge and what to know or do; live. */
export function GatewayStatusRow() {
  const { state } = useGatewayStatus();

  let rowState: string;
  let value: ReactNode;
  if (state.status === "loading") {
    rowState = "loading";
    value = <Skeleton width="45%" />;
  } else if (state.status === "error") {
    // The command itself never fails: this is the transport (e.g. `clawtower serve` gone).
    rowState = "unknown";
    value = (
      <>
        <StatusBadge status="missing" label="Unknown" />
        <span>{state.error.message}</span>
      </>
    );
  } else {
    const status = state.data;
    const badge = BADGES[status.state] ?? { status: "missing", label: status.state };
    rowState = status.state;
    value = (
      <>
        <StatusBadge status={badge.status} label={badge.label} title={status.errorCode ?? undefined} />
        {detail(status)}
      </>
    );
  }

  return (
    <div className="gateway-status">
      <KeyValueList
        items={[
          {
            label: "Gateway",
            value: <div className="gateway-status-value">{value}</div>,
            rowData: { "data-testid": "gateway-status", "data-state": rowState },
          },
        ]}
      />
    </div>
  );
}

import type { GatewayStatus } from "../backend";
import type { AsyncState } from "../hooks/useAsync";

/**
 * What is wrong with the gateway connection as the engine says it (a sentence saying what to do,
 * commands in `backticks`), else its error code.
 */
export function gatewayFailure(status: GatewayStatus): string {
  return status.errorMessage ?? status.errorCode ?? "the connection failed";
}

/** The failure as one line of plain text (backticks dropped: this goes into a tooltip). */
function failure(status: GatewayStatus): string {
  return gatewayFailure(status).replace(/`/g, "");
}

/**
 * Why Pause all cannot run now, as a sentence for a tooltip, or null when the gateway connection
 * is live (pausing goes through the gateway, as the tray's Pause all does).
 */
export function pauseUnavailableReason(state: AsyncState<GatewayStatus>): string | null {
  if (state.status === "loading") return "Checking the gateway connection…";
  if (state.status === "error") {
    return `Pausing needs the gateway connection, and its state is unknown: ${state.error.message}`;
  }
  const status = state.data;
  switch (status.state) {
    case "live":
      if (status.canControl) return null;
      // The engine's sentence starts "connected read-only: …" and says what to do.
      return failure(status).replace(/^./, (first) => first.toUpperCase());
    case "none":
      return "No OpenClaw gateway is configured on this machine, so there is nothing to pause.";
    case "connecting":
      return "Pausing needs the gateway connection: Clawtower is still connecting to it.";
    case "error":
      return `Pausing needs the gateway connection, which failed: ${failure(status)}`;
    default:
      return `Pausing needs a live gateway connection (it is ${status.state}).`;
  }
}

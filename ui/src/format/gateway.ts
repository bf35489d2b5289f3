import type { CheckStatus, CredentialKind, GatewayStatus } from "../backend";
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

/** Badge colour and text of each connection state. */
const BADGES: Readonly<Record<string, { status: CheckStatus; label: string } | undefined>> = {
  live: { status: "ok", label: "Live" },
  connecting: { status: "missing", label: "Connecting…" },
  error: { status: "error", label: "Error" },
};

/** The status badge of a connection state; a state this UI does not know shows neutral with its name. */
export function gatewayBadge(state: string): { status: CheckStatus; label: string } {
  return BADGES[state] ?? { status: "missing", label: state };
}

/** Token and password, as the UI names them. */
export const CREDENTIAL_LABELS: Readonly<Record<CredentialKind, string>> = { token: "Token", password: "Password" };

/** What Clawtower sends a gateway to authenticate, in words. */
export function credentialPhrase(kind: CredentialKind | null): string {
  if (kind === "token") return "Sends a token";
  if (kind === "password") return "Sends a password";
  return "No token or password";
}

/** The error codes by which a gateway asks for a token or a password (missing or wrong). */
const CREDENTIAL_CODES: Readonly<Record<string, CredentialKind | undefined>> = {
  TOKEN_MISSING: "token",
  TOKEN_MISMATCH: "token",
  PASSWORD_REQUIRED: "password",
  PASSWORD_MISMATCH: "password",
};

/** The credential button of a gateway: its text, the kind its dialog starts with, and whether it is the thing to do now. */
export interface CredentialAction {
  label: string;
  kind: CredentialKind;
  /** The gateway refused for want of this credential (or a wrong one): show the button as primary. */
  prominent: boolean;
}

/**
 * What the credential button of a gateway offers: "Enter token" / "Enter password" (prominent)
 * when the gateway refused for want of one or because it was wrong, else "Change credentials"
 * when one is sent, else "Enter token".
 */
export function credentialAction(status: GatewayStatus): CredentialAction {
  const wanted = status.errorCode ? CREDENTIAL_CODES[status.errorCode] : undefined;
  if (wanted) return { label: `Enter ${wanted}`, kind: wanted, prominent: true };
  const sent = status.gateway.credential;
  if (sent) return { label: "Change credentials", kind: sent, prominent: false };
  return { label: "Enter token", kind: "token", prominent: false };
}

/** The gateway budgets pause (`controlled`: the local one, else the first added), if any. */
export function controlledGateway(all: readonly GatewayStatus[]): GatewayStatus | undefined {
  return all.find((status) => status.gateway.controlled) ?? all[0];
}

/**
 * Why Pause all cannot run now, as a sentence for a tooltip, or null when the connection to the
 * gateway budgets pause is live with the admin scope (pausing goes through it, as the tray's
 * Pause all does).
 */
export function pauseUnavailableReason(state: AsyncState<readonly GatewayStatus[]>): string | null {
  if (state.status === "loading") return "Checking the gateway connection…";
  if (state.status === "error") {
    return `Pausing needs the gateway connection, and its state is unknown: ${state.error.message}`;
  }
  const status = controlledGateway(state.data);
  if (!status) {
    return (
      "No OpenClaw gateway is configured: install OpenClaw on this machine or add a gateway by URL " +
      "on the Overview page, so there is nothing to pause."
    );
  }
  switch (status.state) {
    case "live":
      if (status.canControl) return null;
      // The engine's sentence starts "connected read-only: …" and says what to do.
      return failure(status).replace(/^./, (first) => first.toUpperCase());
    case "connecting":
      return "Pausing needs the gateway connection: Clawtower is still connecting to it.";
    case "error":
      return `Pausing needs the gateway connection, which failed: ${failure(status)}`;
    default:
      // A state a newer Clawtower sends that this UI does not know yet.
      return `Pausing needs a live gateway connection (it is ${String(status.state)}).`;
  }
}

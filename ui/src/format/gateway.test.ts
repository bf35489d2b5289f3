import { describe, expect, it } from "vitest";
import { BackendError, type GatewayStatus } from "../backend";
import {
  GATEWAY_CONNECTING,
  GATEWAY_LIVE,
  GATEWAY_PAIRING_REQUIRED,
  GATEWAY_READ_ONLY,
  REMOTE_GATEWAY,
  REMOTE_LIVE,
  REMOTE_PASSWORD_REQUIRED,
} from "../test/fixtures";
import { controlledGateway, credentialAction, credentialPhrase, gatewayBadge, pauseUnavailableReason } from "./gateway";

const ready = (data: GatewayStatus[]) => ({ status: "ready" as const, data });

describe("pauseUnavailableReason", () => {
  it("has nothing to say while the gateway budgets pause is live", () => {
    expect(pauseUnavailableReason(ready([GATEWAY_LIVE]))).toBeNull();
    expect(pauseUnavailableReason(ready([GATEWAY_LIVE, REMOTE_PASSWORD_REQUIRED]))).toBeNull();
  });

  it("says a read-only connection cannot pause, and what to do", () => {
    expect(pauseUnavailableReason(ready([GATEWAY_READ_ONLY]))).toMatch(
      /^Connected read-only: the gateway did not grant operator.admin, .*\(openclaw devices list\)$/,
    );
  });

  it("speaks about the controlled gateway only, wherever it is in the list", () => {
    const remoteControlled = { ...REMOTE_LIVE, gateway: { ...REMOTE_GATEWAY, controlled: true }, canControl: true };
    const localWatched = { ...GATEWAY_PAIRING_REQUIRED, gateway: { ...GATEWAY_PAIRING_REQUIRED.gateway, controlled: false } };
    expect(pauseUnavailableReason(ready([localWatched, remoteControlled]))).toBeNull();
    expect(pauseUnavailableReason(ready([GATEWAY_CONNECTING, REMOTE_LIVE]))).toMatch(/still connecting/);
  });

  it("says why pausing cannot run in every other state", () => {
    expect(pauseUnavailableReason({ status: "loading" })).toBe("Checking the gateway connection…");
    expect(pauseUnavailableReason(ready([]))).toBe(
      "No OpenClaw gateway is configured: install OpenClaw on this machine or add a gateway by URL " +
        "on the Overview page, so there is nothing to pause.",
    );
    expect(pauseUnavailableReason(ready([GATEWAY_CONNECTING]))).toMatch(/still connecting/);
    expect(pauseUnavailableReason(ready([GATEWAY_PAIRING_REQUIRED]))).toBe(
      "Pausing needs the gateway connection, which failed: " +
        "this device needs approval on the gateway host: run openclaw devices approve r-42",
    );
    expect(pauseUnavailableReason(ready([{ ...GATEWAY_PAIRING_REQUIRED, errorMessage: null }]))).toBe(
      "Pausing needs the gateway connection, which failed: PAIRING_REQUIRED",
    );
    expect(pauseUnavailableReason(ready([{ ...GATEWAY_LIVE, state: "draining" as GatewayStatus["state"] }]))).toBe(
      "Pausing needs a live gateway connection (it is draining).",
    );
    expect(pauseUnavailableReason({ status: "error", error: new BackendError("UNREACHABLE", "Cannot reach.") })).toBe(
      "Pausing needs the gateway connection, and its state is unknown: Cannot reach.",
    );
  });
});

describe("controlledGateway", () => {
  it("finds the gateway budgets pause, else the first one, else none", () => {
    const remoteControlled = { ...REMOTE_LIVE, gateway: { ...REMOTE_GATEWAY, controlled: true } };
    const localWatched = { ...GATEWAY_LIVE, gateway: { ...GATEWAY_LIVE.gateway, controlled: false } };
    expect(controlledGateway([GATEWAY_LIVE, REMOTE_LIVE])).toBe(GATEWAY_LIVE);
    expect(controlledGateway([localWatched, remoteControlled])).toBe(remoteControlled);
    expect(controlledGateway([REMOTE_LIVE])).toBe(REMOTE_LIVE);
    expect(controlledGateway([])).toBeUndefined();
  });
});

describe("gatewayBadge", () => {
  it("colours and names each connection state, an unknown one neutral by its name", () => {
    expect(gatewayBadge("live")).toEqual({ status: "ok", label: "Live" });
    expect(gatewayBadge("connecting")).toEqual({ status: "missing", label: "Connecting…" });
    expect(gatewayBadge("error")).toEqual({ status: "error", label: "Error" });
    expect(gatewayBadge("draining")).toEqual({ status: "missing", label: "draining" });
  });
});

describe("credentialAction", () => {
  it.each<[GatewayStatus["errorCode"], string, "token" | "password"]>([
    ["TOKEN_MISSING", "Enter token", "token"],
    ["TOKEN_MISMATCH", "Enter token", "token"],
    ["PASSWORD_REQUIRED", "Enter password", "password"],
    ["PASSWORD_MISMATCH", "Enter password", "password"],
  ])("asks prominently for what %s wants", (errorCode, label, kind) => {
    const status = { ...REMOTE_PASSWORD_REQUIRED, errorCode, gateway: REMOTE_GATEWAY };
    expect(credentialAction(status)).toEqual({ label, kind, prominent: true });
  });

  it("offers to change what is sent, else to enter a token, quietly", () => {
    expect(credentialAction(REMOTE_LIVE)).toEqual({ label: "Change credentials", kind: "password", prominent: false });
    expect(credentialAction(GATEWAY_PAIRING_REQUIRED)).toEqual({
      label: "Change credentials",
      kind: "token",
      prominent: false,
    });
    const none = { ...REMOTE_LIVE, gateway: { ...REMOTE_GATEWAY, credential: null } };
    expect(credentialAction(none)).toEqual({ label: "Enter token", kind: "token", prominent: false });
  });
});

describe("credentialPhrase", () => {
  it("says what Clawtower sends, never the secret", () => {
    expect(credentialPhrase("token")).toBe("Sends a token");
    expect(credentialPhrase("password")).toBe("Sends a password");
    expect(credentialPhrase(null)).toBe("No token or password");
  });
});

import { describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { GATEWAY_CONNECTING, GATEWAY_LIVE, GATEWAY_NONE, GATEWAY_PAIRING_REQUIRED, GATEWAY_READ_ONLY } from "../test/fixtures";
import { pauseUnavailableReason } from "./gateway";

describe("pauseUnavailableReason", () => {
  it("has nothing to say while the gateway is live", () => {
    expect(pauseUnavailableReason({ status: "ready", data: GATEWAY_LIVE })).toBeNull();
  });

  it("says a read-only connection cannot pause, and what to do", () => {
    expect(pauseUnavailableReason({ status: "ready", data: GATEWAY_READ_ONLY })).toMatch(
      /^Connected read-only: the gateway did not grant operator.admin, .*\(openclaw devices list\)$/,
    );
  });

  it("says why pausing cannot run in every other state", () => {
    expect(pauseUnavailableReason({ status: "loading" })).toBe("Checking the gateway connection…");
    const none = pauseUnavailableReason({ status: "ready", data: GATEWAY_NONE });
    expect(none).toMatch(/^No OpenClaw gateway is configured/);
    expect(pauseUnavailableReason({ status: "ready", data: GATEWAY_CONNECTING })).toMatch(/still connecting/);
    expect(pauseUnavailableReason({ status: "ready", data: GATEWAY_PAIRING_REQUIRED })).toBe(
      "Pausing needs the gateway connection, which failed: " +
        "this device needs approval on the gateway host: run openclaw devices approve r-42",
    );
    expect(
      pauseUnavailableReason({ status: "ready", data: { ...GATEWAY_PAIRING_REQUIRED, errorMessage: null } }),
    ).toBe("Pausing needs the gateway connection, which failed: PAIRING_REQUIRED");
    expect(pauseUnavailableReason({ status: "ready", data: { ...GATEWAY_LIVE, state: "draining" } })).toBe(
      "Pausing needs a live gateway connection (it is draining).",
    );
    expect(pauseUnavailableReason({ status: "error", error: new BackendError("UNREACHABLE", "Cannot reach.") })).toBe(
      "Pausing needs the gateway connection, and its state is unknown: Cannot reach.",
    );
  });
});

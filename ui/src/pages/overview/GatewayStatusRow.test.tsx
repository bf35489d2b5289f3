import { act, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BackendError, type GatewayStatus } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import {
  GATEWAY_CONNECTING,
  GATEWAY_LIVE,
  GATEWAY_NONE,
  GATEWAY_PAIRING_REQUIRED,
  GATEWAY_READ_ONLY,
} from "../../test/fixtures";
import { pending } from "../../test/pending";
import { renderWithProviders } from "../../test/render";
import { OpenClawCard } from "./OpenClawCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderCard() {
  return renderWithProviders(<OpenClawCard />, { backend });
}

/** The gateway row once it shows `state`. */
async function gatewayRow(state: string): Promise<HTMLElement> {
  const row = await screen.findByTestId("gateway-status");
  await vi.waitFor(() => expect(row).toHaveAttribute("data-state", state));
  return row;
}

/** The row's badge colour (StatusBadge's status) and text. */
function badge(row: HTMLElement): [string | null, string | null] {
  const pill = row.querySelector(".status-badge");
  return [pill?.getAttribute("data-status") ?? null, pill?.textContent ?? null];
}

describe("GatewayStatusRow (in the OpenClaw card)", () => {
  it.each<[string, GatewayStatus, [string, string], string]>([
    ["live", GATEWAY_LIVE, ["ok", "Live"], "OpenClaw 2026.9.6 · ws://127.0.0.1:18789/"],
    ["connecting", GATEWAY_CONNECTING, ["missing", "Connecting…"], "ws://127.0.0.1:18789/"],
    ["none", GATEWAY_NONE, ["missing", "Off"], "No gateway configured"],
  ])("shows the %s state with its badge and detail", async (state, status, expectedBadge, text) => {
    backend.gatewayStatus.mockResolvedValue(status);
    renderCard();

    const row = await gatewayRow(state);
    expect(within(row).getByText("Gateway")).toBeInTheDocument();
    expect(badge(row)).toEqual(expectedBadge);
    expect(row).toHaveTextContent(text);
    expect(backend.gatewayStatus).toHaveBeenCalledTimes(1);
  });

  it("says a live connection without the admin scope is read-only, and what to run", async () => {
    backend.gatewayStatus.mockResolvedValue(GATEWAY_READ_ONLY);
    renderCard();

    const row = await gatewayRow("live");
    expect(badge(row)).toEqual(["ok", "Live"]);
    const message = within(row).getByTestId("gateway-status-message");
    expect(message).toHaveTextContent(/^connected read-only: the gateway did not grant operator.admin/);
    expect(within(message).getByText("openclaw devices list").tagName).toBe("CODE");
  });

  it("shows a failure in red with its whole message, the command to run as code", async () => {
    backend.gatewayStatus.mockResolvedValue(GATEWAY_PAIRING_REQUIRED);
    renderCard();

    const row = await gatewayRow("error");
    expect(badge(row)).toEqual(["error", "Error"]);
    expect(row.querySelector(".status-badge")).toHaveAttribute("title", "PAIRING_REQUIRED");
    const message = within(row).getByTestId("gateway-status-message");
    expect(message).toHaveTextContent(
      /^this device needs approval on the gateway host: run openclaw devices approve r-42$/,
    );
    const code = within(message).getByText("openclaw devices approve r-42");
    expect(code.tagName).toBe("CODE");
    expect(message).not.toHaveTextContent("`");
  });

  it("follows gateway-status-changed events without fetching again, and unsubscribes on unmount", async () => {
    backend.gatewayStatus.mockResolvedValue(GATEWAY_CONNECTING);
    const { unmount } = renderCard();
    const row = await gatewayRow("connecting");

    act(() => backend.emitGatewayStatus(GATEWAY_PAIRING_REQUIRED));
    expect(row).toHaveAttribute("data-state", "error");
    expect(within(row).getByText("openclaw devices approve r-42").tagName).toBe("CODE");

    act(() => backend.emitGatewayStatus(GATEWAY_LIVE));
    expect(row).toHaveAttribute("data-state", "live");
    expect(row).toHaveTextContent("OpenClaw 2026.9.6");
    expect(within(row).queryByTestId("gateway-status-message")).not.toBeInTheDocument();

    expect(backend.gatewayStatus).toHaveBeenCalledTimes(1);
    unmount();
    expect(backend.gatewayListenerCount()).toBe(0);
  });

  it("keeps an event that arrives before the first answer", async () => {
    const answer = pending<GatewayStatus>();
    backend.gatewayStatus.mockReturnValue(answer.promise);
    renderCard();
    expect(screen.getByTestId("gateway-status")).toHaveAttribute("data-state", "loading");
    await vi.waitFor(() => expect(backend.gatewayListenerCount()).toBe(1));

    act(() => backend.emitGatewayStatus(GATEWAY_LIVE));
    await answer.resolve(GATEWAY_CONNECTING);

    expect(screen.getByTestId("gateway-status")).toHaveAttribute("data-state", "live");
  });

  it("says the state is unknown when the backend cannot be asked", async () => {
    backend.gatewayStatus.mockRejectedValue(new BackendError("UNREACHABLE", "Cannot reach Clawtower."));
    renderCard();

    const row = await gatewayRow("unknown");
    expect(badge(row)).toEqual(["missing", "Unknown"]);
    expect(row).toHaveTextContent("Cannot reach Clawtower.");
  });
});

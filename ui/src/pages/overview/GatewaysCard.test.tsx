import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BackendError, type GatewayStatus } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import {
  GATEWAY_CONNECTING,
  GATEWAY_LIVE,
  GATEWAY_PAIRING_REQUIRED,
  GATEWAY_READ_ONLY,
  GATEWAYS,
  REMOTE_LIVE,
  REMOTE_PASSWORD_REQUIRED,
} from "../../test/fixtures";
import { pending } from "../../test/pending";
import { renderWithProviders } from "../../test/render";
import { GatewaysCard } from "./GatewaysCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderCard() {
  return renderWithProviders(<GatewaysCard />, { backend });
}

/** The row of gateway `id`, once it is listed. */
async function rowOf(id: number): Promise<HTMLElement> {
  return vi.waitFor(() => {
    const found = screen.queryAllByTestId("gateway-row").find((r) => r.dataset.gatewayId === String(id));
    if (!found) throw new Error(`No row for gateway ${id}`);
    return found;
  });
}

/** Each listed gateway as [id, state]. */
function listed(): [string | undefined, string | undefined][] {
  return screen.getAllByTestId("gateway-row").map((r) => [r.dataset.gatewayId, r.dataset.state]);
}

/** A row's badge colour (StatusBadge's status) and text. */
function badge(row: HTMLElement): [string | null, string | null] {
  const pill = row.querySelector(".status-badge");
  return [pill?.getAttribute("data-status") ?? null, pill?.textContent ?? null];
}

describe("GatewaysCard list", () => {
  it("shows a skeleton, then each gateway: name, Local marker, URL, what it sends, and which one budgets pause", async () => {
    const answer = pending<GatewayStatus[]>();
    backend.gateways.mockReturnValueOnce(answer.promise);
    renderCard();
    const card = screen.getByTestId("gateways-card");
    expect(within(card).getByLabelText("Loading")).toBeInTheDocument();

    await answer.resolve([...GATEWAYS]);

    expect(listed()).toEqual([
      ["0", "live"],
      ["3", "live"],
    ]);
    const local = await rowOf(0);
    expect(within(local).getByTestId("gateway-row-name")).toHaveTextContent("This machine");
    expect(within(local).getByTestId("gateway-local")).toHaveTextContent("Local");
    expect(within(local).getByTestId("gateway-row-url")).toHaveTextContent("ws://127.0.0.1:18789/");
    expect(within(local).getByTestId("gateway-row-credential")).toHaveTextContent("Sends a token");
    expect(within(local).getByTestId("gateway-controlled")).toHaveTextContent("Budgets pause this gateway");
    expect(within(local).getByTestId("gateway-version")).toHaveTextContent("OpenClaw 2026.9.6");
    expect(within(local).queryByTestId("gateway-remove-0")).not.toBeInTheDocument();

    const remote = await rowOf(3);
    expect(within(remote).getByTestId("gateway-row-name")).toHaveTextContent("Build box");
    expect(within(remote).queryByTestId("gateway-local")).not.toBeInTheDocument();
    expect(within(remote).queryByTestId("gateway-controlled")).not.toBeInTheDocument();
    expect(within(remote).getByTestId("gateway-row-credential")).toHaveTextContent("Sends a password");
    expect(within(remote).getByTestId("gateway-remove-3")).toHaveAccessibleName("Remove Build box");
    expect(card).not.toHaveTextContent("No token or password");
    expect(backend.gateways).toHaveBeenCalledTimes(1);
  });

  it.each<[string, GatewayStatus, [string, string], string]>([
    ["live", GATEWAY_LIVE, ["ok", "Live"], "OpenClaw 2026.9.6"],
    ["connecting", GATEWAY_CONNECTING, ["missing", "Connecting…"], "ws://127.0.0.1:18789/"],
    ["draining", { ...GATEWAY_LIVE, state: "draining" as GatewayStatus["state"] }, ["missing", "draining"], "This machine"],
  ])("shows the %s state with its badge and no message", async (state, status, expectedBadge, text) => {
    backend.gateways.mockResolvedValue([status]);
    renderCard();

    const row = await rowOf(0);
    expect(row).toHaveAttribute("data-state", state);
    expect(badge(row)).toEqual(expectedBadge);
    expect(row).toHaveTextContent(text);
    expect(within(row).queryByTestId("gateway-status-message")).not.toBeInTheDocument();
  });

  it("says a live connection without the admin scope is read-only, and what to run", async () => {
    backend.gateways.mockResolvedValue([GATEWAY_READ_ONLY]);
    renderCard();

    const row = await rowOf(0);
    expect(badge(row)).toEqual(["ok", "Live"]);
    const message = within(row).getByTestId("gateway-status-message");
    expect(message).toHaveTextContent(/^connected read-only: the gateway did not grant operator.admin/);
    expect(within(message).getByText("openclaw devices list").tagName).toBe("CODE");
  });

  it("shows a failure with its whole message, the command to run as code, the code as the badge's tooltip", async () => {
    backend.gateways.mockResolvedValue([GATEWAY_PAIRING_REQUIRED]);
    renderCard();

    const row = await rowOf(0);
    expect(row).toHaveAttribute("data-state", "error");
    expect(badge(row)).toEqual(["error", "Error"]);
    expect(row.querySelector(".status-badge")).toHaveAttribute("title", "PAIRING_REQUIRED");
    const message = within(row).getByTestId("gateway-status-message");
    expect(message).toHaveTextContent(
      /^this device needs approval on the gateway host: run openclaw devices approve r-42$/,
    );
    expect(within(message).getByText("openclaw devices approve r-42").tagName).toBe("CODE");
    expect(message).not.toHaveTextContent("`");
    // Pairing is not about a token or password: the credential button stays quiet.
    expect(within(row).getByTestId("gateway-credential-0")).toHaveClass("btn-ghost");
  });

  it("makes the credential button the thing to do when the gateway wants a password", async () => {
    backend.gateways.mockResolvedValue([GATEWAY_LIVE, REMOTE_PASSWORD_REQUIRED]);
    renderCard();

    const remote = await rowOf(3);
    const wanted = within(remote).getByTestId("gateway-credential-3");
    expect(wanted).toHaveTextContent("Enter password");
    expect(wanted).toHaveClass("btn-primary");
    expect(wanted).toHaveAccessibleName("Enter password for Build box");
    expect(within(remote).getByTestId("gateway-row-credential")).toHaveTextContent("No token or password");
    const local = within(await rowOf(0)).getByTestId("gateway-credential-0");
    expect(local).toHaveTextContent("Change credentials");
    expect(local).toHaveClass("btn-ghost");
  });

  it("says no gateway is followed when the list is empty, with an Add button that opens the dialog", async () => {
    backend.gateways.mockResolvedValue([]);
    renderCard();
    const empty = await screen.findByTestId("gateways-empty");
    expect(empty).toHaveTextContent("Clawtower follows no gateway");
    expect(screen.queryByTestId("gateway-list")).not.toBeInTheDocument();

    await userEvent.click(within(empty).getByRole("button", { name: "Add gateway" }));
    expect(screen.getByRole("dialog", { name: "Add gateway" })).toBeInTheDocument();
  });

  it("shows a failure to ask the backend with Retry, which fetches the list again", async () => {
    backend.gateways.mockRejectedValueOnce(new BackendError("UNREACHABLE", "Cannot reach Clawtower."));
    renderCard();
    const panel = await screen.findByTestId("gateways-error");
    expect(panel).toHaveTextContent("Cannot reach Clawtower.");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findAllByTestId("gateway-row")).toHaveLength(2);
    expect(screen.queryByTestId("gateways-error")).not.toBeInTheDocument();
    expect(backend.gateways).toHaveBeenCalledTimes(2);
  });
});

describe("GatewaysCard live updates", () => {
  it("follows gateways-changed events without fetching again, and unsubscribes on unmount", async () => {
    backend.gateways.mockResolvedValue([GATEWAY_CONNECTING]);
    const { unmount } = renderCard();
    const row = await rowOf(0);
    expect(row).toHaveAttribute("data-state", "connecting");

    act(() => backend.emitGateways([GATEWAY_PAIRING_REQUIRED, REMOTE_LIVE]));
    expect(listed()).toEqual([
      ["0", "error"],
      ["3", "live"],
    ]);
    expect(within(row).getByText("openclaw devices approve r-42").tagName).toBe("CODE");

    act(() => backend.emitGateways([GATEWAY_LIVE]));
    expect(listed()).toEqual([["0", "live"]]);
    expect(row).toHaveTextContent("OpenClaw 2026.9.6");
    expect(within(row).queryByTestId("gateway-status-message")).not.toBeInTheDocument();

    act(() => backend.emitGateways([]));
    expect(screen.getByTestId("gateways-empty")).toBeInTheDocument();

    expect(backend.gateways).toHaveBeenCalledTimes(1);
    unmount();
    expect(backend.gatewaysListenerCount()).toBe(0);
  });

  it("keeps an event that arrives before the first answer", async () => {
    const answer = pending<GatewayStatus[]>();
    backend.gateways.mockReturnValue(answer.promise);
    renderCard();
    await vi.waitFor(() => expect(backend.gatewaysListenerCount()).toBe(1));

    act(() => backend.emitGateways([GATEWAY_LIVE]));
    await answer.resolve([GATEWAY_CONNECTING]);

    expect(listed()).toEqual([["0", "live"]]);
  });
});

describe("GatewaysCard remove", () => {
  it("removes an added gateway at once and offers Undo, which restores it", async () => {
    renderCard();
    const remote = await rowOf(3);

    await userEvent.click(within(remote).getByTestId("gateway-remove-3"));

    expect(backend.removeGateway).toHaveBeenCalledExactlyOnceWith(3);
    await waitFor(() => expect(listed()).toEqual([["0", "live"]]));
    const snackbar = await screen.findByTestId("gateway-removed");
    expect(snackbar).toHaveTextContent("Gateway “Build box” removed");

    await userEvent.click(within(snackbar).getByRole("button", { name: "Undo" }));

    expect(backend.restoreGateway).toHaveBeenCalledExactlyOnceWith(3);
    await waitFor(() => expect(screen.queryByTestId("gateway-removed")).not.toBeInTheDocument());
    expect(listed()).toEqual([
      ["0", "live"],
      ["3", "live"],
    ]);
  });

  it("follows each command's answer even without an event", async () => {
    backend.removeGateway.mockResolvedValueOnce([GATEWAY_LIVE]);
    backend.restoreGateway.mockResolvedValueOnce([GATEWAY_LIVE, REMOTE_LIVE]);
    renderCard();

    await userEvent.click(within(await rowOf(3)).getByTestId("gateway-remove-3"));
    await waitFor(() => expect(listed()).toEqual([["0", "live"]]));
    await userEvent.click(within(await screen.findByTestId("gateway-removed")).getByRole("button", { name: "Undo" }));

    await waitFor(() => expect(screen.getAllByTestId("gateway-row")).toHaveLength(2));
  });

  it("shows why the engine refused a removal, and keeps the gateway", async () => {
    backend.removeGateway.mockRejectedValueOnce(
      new BackendError("INVALID_INPUT", "Build box is paused by Clawtower; resume it before removing it"),
    );
    renderCard();

    await userEvent.click(within(await rowOf(3)).getByTestId("gateway-remove-3"));

    const panel = await screen.findByTestId("gateway-removal-error");
    expect(panel).toHaveTextContent("Build box is paused by Clawtower; resume it before removing it");
    expect(screen.getAllByTestId("gateway-row")).toHaveLength(2);
    expect(screen.queryByTestId("gateway-removed")).not.toBeInTheDocument();
  });
});

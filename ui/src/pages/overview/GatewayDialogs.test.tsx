import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import { GATEWAY_LIVE, REMOTE_PASSWORD_REQUIRED } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { GatewaysCard } from "./GatewaysCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

const field = (testId: string) => screen.getByTestId(testId);

/** Types each value into the input with that test id (an empty value just clears it). */
async function fill(values: Record<string, string>) {
  for (const [testId, text] of Object.entries(values)) {
    await userEvent.clear(field(testId));
    if (text) await userEvent.type(field(testId), text);
  }
}

/** Renders the card once its list is there. */
async function renderCard() {
  renderWithProviders(<GatewaysCard />, { backend });
  await screen.findAllByTestId("gateway-row");
}

/** Renders the card and opens Add gateway. */
async function openAdd(): Promise<HTMLElement> {
  await renderCard();
  await userEvent.click(field("add-gateway"));
  return screen.getByTestId("gateway-dialog");
}

/** Renders the card and opens the credential dialog of gateway `id`. */
async function openCredential(id: number): Promise<HTMLElement> {
  await renderCard();
  await userEvent.click(field(`gateway-credential-${id}`));
  return screen.getByTestId("gateway-credential-dialog");
}

const URL_MESSAGE = "Enter the gateway's URL, starting with ws:// or wss://.";

describe("GatewaysCard Add gateway", () => {
  it("opens on the URL, without a secret input until a token or password is chosen", async () => {
    const dialog = await openAdd();
    expect(dialog).toHaveAccessibleName("Add gateway");
    expect(field("gateway-url")).toHaveFocus();
    expect(field("gateway-auth")).toHaveValue("none");
    expect(screen.queryByTestId("gateway-secret")).not.toBeInTheDocument();

    await userEvent.selectOptions(field("gateway-auth"), "password");
    expect(field("gateway-secret")).toHaveAttribute("type", "password");
    expect(screen.getByLabelText("Password")).toBe(field("gateway-secret"));
    expect(field("gateway-secret")).toHaveAccessibleDescription(/Stored on this machine only, never shown again\.$/);
    await userEvent.selectOptions(field("gateway-auth"), "token");
    expect(screen.getByLabelText("Token")).toBe(field("gateway-secret"));
  });

  it("offers unencrypted ws:// only for a ws:// URL, explaining the risk", async () => {
    await openAdd();
    const allow = field("gateway-allow-unencrypted");
    expect(allow.closest("label")).toHaveTextContent("Allow unencrypted ws:// to this host");
    expect(allow.closest("label")).toHaveTextContent("would cross the network unencrypted");
    expect(allow).toBeDisabled();

    await fill({ "gateway-url": "ws://gw.example.com:18789" });
    expect(allow).toBeEnabled();
    expect(allow).not.toBeChecked();
    await userEvent.click(allow);
    expect(allow).toBeChecked();

    await fill({ "gateway-url": "wss://gw.example.com" });
    expect(allow).toBeDisabled();
    expect(allow).not.toBeChecked();
  });

  it("checks the URL and the secret before saving, then adds the gateway with the right draft", async () => {
    const dialog = await openAdd();
    const save = () => userEvent.click(field("gateway-save"));

    await save();
    expect(within(dialog).getByText(URL_MESSAGE)).toBeInTheDocument();
    expect(field("gateway-url")).toHaveAttribute("aria-invalid", "true");
    expect(field("gateway-url")).toHaveFocus();

    await fill({ "gateway-url": "https://gw.example.com" });
    await userEvent.selectOptions(field("gateway-auth"), "token");
    await save();
    expect(within(dialog).getByText(URL_MESSAGE)).toBeInTheDocument();
    expect(within(dialog).getByText("Paste the gateway's token.")).toBeInTheDocument();
    expect(backend.addGateway).not.toHaveBeenCalled();

    await fill({ "gateway-url": " ws://gw.example.com:18789 ", "gateway-name": " Lab ", "gateway-secret": "tok-123" });
    await userEvent.click(field("gateway-allow-unencrypted"));
    await save();

    expect(backend.addGateway).toHaveBeenCalledExactlyOnceWith({
      name: "Lab",
      url: "ws://gw.example.com:18789",
      credential: { kind: "token", secret: "tok-123" },
      allowUnencrypted: true,
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const added = screen.getAllByTestId("gateway-row").at(-1);
    expect(added).toHaveAttribute("data-state", "connecting");
    expect(added).toHaveTextContent("Lab");
    expect(added).toHaveTextContent("Sends a token");
    expect(document.body).not.toHaveTextContent("tok-123");
  });

  it("shows the engine's refusal as its sentence and stays open", async () => {
    backend.addGateway.mockRejectedValueOnce(
      new BackendError("INVALID_INPUT", "plain `ws://` to gw.example.com would send the token unencrypted"),
    );
    const dialog = await openAdd();
    await fill({ "gateway-url": "ws://gw.example.com" });

    await userEvent.click(field("gateway-save"));

    const refused = await within(dialog).findByTestId("gateway-form-refused");
    expect(refused).toHaveTextContent("plain ws:// to gw.example.com would send the token unencrypted");
    expect(within(refused).getByText("ws://").tagName).toBe("CODE");
    expect(screen.getByTestId("gateway-dialog")).toBeInTheDocument();
    expect(screen.getAllByTestId("gateway-row")).toHaveLength(2);
  });
});

describe("GatewaysCard credentials", () => {
  it("asks for the password a gateway wants, sends {kind, secret} and never shows the secret again", async () => {
    backend.setGateways([GATEWAY_LIVE, REMOTE_PASSWORD_REQUIRED]);
    const dialog = await openCredential(3);
    expect(dialog).toHaveAccessibleName("Credentials for “Build box”");
    expect(field("gateway-credential-kind")).toHaveValue("password");
    expect(field("gateway-credential-secret")).toHaveFocus();
    expect(field("gateway-credential-secret")).toHaveAttribute("type", "password");
    expect(within(dialog).queryByTestId("gateway-credential-forget")).not.toBeInTheDocument();

    await userEvent.click(field("gateway-credential-save"));
    expect(within(dialog).getByText("Enter the gateway's password.")).toBeInTheDocument();
    expect(backend.setGatewayCredential).not.toHaveBeenCalled();

    await userEvent.type(field("gateway-credential-secret"), "hunter2 ");
    await userEvent.click(field("gateway-credential-save"));

    expect(backend.setGatewayCredential).toHaveBeenCalledExactlyOnceWith(3, { kind: "password", secret: "hunter2 " });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const row = screen.getAllByTestId("gateway-row")[1];
    expect(row).toHaveAttribute("data-state", "connecting");
    expect(row).toHaveTextContent("Sends a password");
    expect(document.body).not.toHaveTextContent("hunter2");

    await userEvent.click(field("gateway-credential-3"));
    expect(field("gateway-credential-secret")).toHaveValue("");
    expect(screen.queryByDisplayValue("hunter2 ")).not.toBeInTheDocument();
  });

  it("sends a token of the kind chosen, trimmed", async () => {
    await openCredential(3);
    expect(field("gateway-credential-kind")).toHaveValue("password");
    await userEvent.selectOptions(field("gateway-credential-kind"), "token");
    expect(screen.getByLabelText("Token")).toBe(field("gateway-credential-secret"));
    await userEvent.type(field("gateway-credential-secret"), " tok-9 ");
    await userEvent.click(field("gateway-credential-save"));

    expect(backend.setGatewayCredential).toHaveBeenCalledExactlyOnceWith(3, { kind: "token", secret: "tok-9" });
  });

  it("offers Forget only for a credential entered in Clawtower, not openclaw.json's", async () => {
    const dialog = await openCredential(0);
    expect(within(dialog).queryByTestId("gateway-credential-forget-section")).not.toBeInTheDocument();
  });

  it("forgets an entered credential; for the local gateway it says openclaw.json's is used again", async () => {
    backend.setGateways([
      { ...GATEWAY_LIVE, gateway: { ...GATEWAY_LIVE.gateway, credential: "password", credentialEntered: true } },
    ]);
    const dialog = await openCredential(0);
    expect(within(dialog).getByTestId("gateway-credential-forget-section")).toHaveTextContent(
      "use the one in openclaw.json again",
    );

    await userEvent.click(within(dialog).getByTestId("gateway-credential-forget"));

    expect(backend.setGatewayCredential).toHaveBeenCalledExactlyOnceWith(0, null);
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("says an added gateway then connects without one, and shows why forgetting failed", async () => {
    backend.setGatewayCredential.mockRejectedValueOnce(new BackendError("NOT_FOUND", "gateway 3 does not exist"));
    const dialog = await openCredential(3);
    expect(within(dialog).getByTestId("gateway-credential-forget-section")).toHaveTextContent(
      "connect without a token or password",
    );

    await userEvent.click(within(dialog).getByTestId("gateway-credential-forget"));

    expect(await within(dialog).findByTestId("gateway-credential-forget-error")).toHaveTextContent(
      "gateway 3 does not exist",
    );
    expect(screen.getByTestId("gateway-credential-dialog")).toBeInTheDocument();
  });

  it("shows the engine's refusal of a credential and stays open", async () => {
    backend.setGatewayCredential.mockRejectedValueOnce(new BackendError("INVALID_INPUT", "the token is empty"));
    const dialog = await openCredential(0);
    await userEvent.type(field("gateway-credential-secret"), "x");
    await userEvent.click(field("gateway-credential-save"));

    expect(await within(dialog).findByTestId("gateway-credential-form-refused")).toHaveTextContent("the token is empty");
    expect(backend.setGatewayCredential).toHaveBeenCalledExactlyOnceWith(0, { kind: "token", secret: "x" });
  });

  it("closes when its gateway goes away", async () => {
    await openCredential(3);
    act(() => backend.emitGateways([GATEWAY_LIVE]));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("gateway-row")).toHaveLength(1);
  });
});

import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { ROUTED_STUB, ROUTER_ACTIVITY, ROUTER_OFF } from "../test/fixtures";
import { renderWithProviders } from "../test/render";
import { RouterPage } from "./RouterPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

const renderRouter = () => renderWithProviders(<RouterPage />, { backend });

describe("RouterPage status", () => {
  it("shows where agents send calls and each provider's health, with why one is disabled", async () => {
    renderRouter();
    expect(await screen.findByTestId("router-endpoint")).toHaveTextContent("http://127.0.0.1:8090/v1");
    const providers = screen.getAllByTestId("router-provider");
    expect(providers.map((p) => p.dataset.provider)).toEqual(["openrouter", "anthropic", "deepseek"]);
    expect(within(providers[0]).getByTestId("router-provider-health")).toHaveTextContent("Healthy");
    expect(within(providers[1]).getByTestId("router-provider-health")).toHaveTextContent("Disabled");
    expect(providers[1]).toHaveTextContent("the environment variable ANTHROPIC_API_KEY is not set");
  });

  it("stores a key kept in the OS keyring from the page, and the provider serves at once", async () => {
    renderRouter();
    await screen.findByTestId("router-endpoint");
    const [openrouter, anthropic, deepseek] = screen.getAllByTestId("router-provider");
    for (const other of [openrouter, anthropic]) {
      expect(within(other).queryByTestId("router-provider-store-key")).not.toBeInTheDocument();
    }
    expect(deepseek).toHaveTextContent("Key in the OS keyring as “deepseek”");
    await userEvent.click(within(deepseek).getByRole("button", { name: "Store the API key of deepseek" }));
    const dialog = screen.getByRole("dialog", { name: "API key for “deepseek”" });
    const input = within(dialog).getByLabelText("API key");
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveFocus();

    await userEvent.click(within(dialog).getByRole("button", { name: "Store key" }));
    expect(dialog).toHaveTextContent("Enter the provider's API key.");
    expect(backend.storeProviderKey).not.toHaveBeenCalled();

    backend.storeProviderKey.mockRejectedValueOnce(
      new BackendError("IO", "the OS keyring: the OS keyring cannot be used (no Secret Service)"),
    );
    await userEvent.type(input, "sk-deep");
    await userEvent.click(within(dialog).getByRole("button", { name: "Store key" }));
    expect(await within(dialog).findByText(/no Secret Service/)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Store key" }));
    expect(backend.storeProviderKey).toHaveBeenLastCalledWith("deepseek", "sk-deep");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const stored = screen.getAllByTestId("router-provider")[2];
    await waitFor(() => expect(within(stored).getByTestId("router-provider-health")).toHaveTextContent("Healthy"));
    expect(within(stored).getByTestId("router-provider-store-key")).toHaveTextContent("Replace key");
  });

  it("says how to set the router up when there is no router.toml", async () => {
    backend.setRouter(ROUTER_OFF);
    renderRouter();
    const off = await screen.findByTestId("router-off");
    expect(off).toHaveTextContent("router.toml");
    expect(off).toHaveTextContent('api_key = "${OPENAI_API_KEY}"');
  });

  it("shows why it did not start", async () => {
    backend.setRouter({ ...ROUTER_OFF, state: "failed", error: "cannot listen on 127.0.0.1:8090: address in use" });
    renderRouter();
    expect(await screen.findByTestId("router-failed")).toHaveTextContent("address in use");
  });

  it("offers Retry when the status cannot be read", async () => {
    backend.routerStatus.mockRejectedValueOnce(new BackendError("INTERNAL", "boom"));
    renderRouter();
    await userEvent.click(await screen.findByRole("button", { name: /retry/i }));
    expect(await screen.findByTestId("router-endpoint")).toBeInTheDocument();
  });
});

describe("RouterPage keys", () => {
  it("lists keys with their limits", async () => {
    renderRouter();
    const row = await screen.findByTestId("router-key-row");
    expect(row).toHaveTextContent("ctk-AbCdEf…");
    expect(within(row).getByTestId("router-key-limits")).toHaveTextContent("60 requests/min");
  });

  it("makes a key, shows it once with the endpoint, and lists it", async () => {
    renderRouter();
    await screen.findByTestId("router-key-row");
    await userEvent.click(screen.getByTestId("add-router-key"));
    await userEvent.click(screen.getByTestId("router-key-save"));
    expect(await screen.findByText(/Enter the agent whose calls these are/)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("router-key-agent-id"), "coder");
    await userEvent.type(screen.getByTestId("router-key-max-parallel"), "0");
    await userEvent.click(screen.getByTestId("router-key-save"));
    expect(await screen.findByText(/a whole number of 1 or more/)).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId("router-key-max-parallel"));
    await userEvent.type(screen.getByTestId("router-key-max-parallel"), "2");
    await userEvent.click(screen.getByTestId("router-key-save"));

    expect(backend.createRouterKey).toHaveBeenCalledWith({
      agentId: "coder",
      name: "",
      models: [],
      limits: { rpm: null, tpm: null, maxParallel: 2, budgetId: null },
    });
    const shown = await screen.findByTestId("router-key-created");
    expect(within(shown).getByTestId("router-key-value")).toHaveValue("ctk-NeWkEyThatIsShownOnce0000000000000000000");
    expect(shown).toHaveTextContent("http://127.0.0.1:8090/v1");
    await userEvent.click(screen.getByTestId("router-key-done"));
    await waitFor(() => expect(screen.getAllByTestId("router-key-row")).toHaveLength(2));
    expect(screen.queryByText("ctk-NeWkEyThatIsShownOnce0000000000000000000")).not.toBeInTheDocument();
  });

  it("revokes a key after asking", async () => {
    renderRouter();
    await userEvent.click(await screen.findByTestId("revoke-router-key"));
    const dialog = screen.getByTestId("revoke-key-dialog");
    expect(dialog).toHaveTextContent("cannot be undone");
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke" }));
    expect(backend.revokeRouterKey).toHaveBeenCalledWith(1);
    await waitFor(() => expect(screen.getByTestId("router-key-row")).toHaveAttribute("data-state", "revoked"));
    expect(screen.queryByTestId("revoke-router-key")).not.toBeInTheDocument();
  });
});

describe("RouterPage OpenClaw routing", () => {
  it("routes OpenClaw through the router, says what it left alone, and puts it back", async () => {
    renderRouter();
    expect(await screen.findByTestId("routing-off")).toHaveTextContent("OpenClaw calls its providers directly");
    await userEvent.click(screen.getByTestId("attach-router"));
    const routed = await screen.findByTestId("routed-provider");
    expect(routed).toHaveTextContent("stub");
    expect(routed).toHaveTextContent("Routed");
    expect(within(routed).getByTestId("routed-sessions")).toHaveTextContent("stop each call here");
    expect(screen.getByTestId("routing-notes")).toHaveTextContent('gemini: not routed — its API "google-generative-ai"');
    await userEvent.click(screen.getByTestId("detach-router"));
    expect(await screen.findByTestId("routing-off")).toBeInTheDocument();
    expect(backend.detachRouter).toHaveBeenCalledTimes(1);
  });

  it("says when OpenClaw does not name each call's session (OpenClaw 2026.7)", async () => {
    backend.routerAttachments.mockResolvedValue({
      attached: [{ ...ROUTED_STUB, knowsSessions: false }],
      skipped: [],
      notes: [],
    });
    renderRouter();
    const routed = await screen.findByTestId("routed-provider");
    expect(within(routed).getByTestId("routed-sessions")).toHaveTextContent("booked to “openclaw”");
  });

  it("cannot route while the router is off, and shows a refusal", async () => {
    backend.setRouter(ROUTER_OFF);
    renderRouter();
    expect(await screen.findByTestId("routing-off")).toHaveTextContent("Start the router first");
    expect(screen.getByTestId("attach-router")).toBeDisabled();
  });

  it("shows OpenClaw's refusal and leaves the switch off", async () => {
    backend.attachRouter.mockRejectedValueOnce(
      new BackendError("GATEWAY", "OpenClaw refused to route its providers through Clawtower (x); nothing was changed"),
    );
    renderRouter();
    await userEvent.click(await screen.findByTestId("attach-router"));
    expect(await screen.findByTestId("routing-action-error")).toHaveTextContent("nothing was changed");
    expect(screen.getByTestId("routing-off")).toBeInTheDocument();
  });
});

describe("RouterPage activity", () => {
  it("shows spend per provider and key for today and this month, and the latest calls", async () => {
    renderRouter();
    const [today] = await screen.findAllByTestId("router-spend-row");
    expect(today).toHaveTextContent("openrouter");
    expect(today).toHaveTextContent("coder");
    expect(today).toHaveTextContent("$0.42");
    await userEvent.click(screen.getByTestId("router-period-month"));
    const month = screen.getAllByTestId("router-spend-row");
    expect(month).toHaveLength(2);
    expect(month[1]).toHaveTextContent("no key");
    const calls = screen.getAllByTestId("router-call");
    expect(calls[0]).toHaveTextContent("Failed");
    expect(calls[0]).toHaveTextContent("HTTP 503");
    expect(calls[0]).toHaveTextContent("upstream 212 ms");
    expect(calls[0]).not.toHaveTextContent("router ");
    expect(calls[1]).toHaveTextContent("1,520 tokens");
    // How it was handled: status, the upstream's time and the router's own, the route taken.
    expect(calls[1]).toHaveTextContent("HTTP 200");
    expect(calls[1]).toHaveTextContent("upstream 1.8 s");
    expect(calls[1]).toHaveTextContent("router 0.42 ms");
    expect(within(calls[1]).getByTestId("router-call-route")).toHaveTextContent("auto -> openrouter/openai/gpt-5-mini after openrouter: HTTP 503");
    expect(within(calls[2]).queryByTestId("router-call-route")).toBeNull();
    expect(calls[2]).toHaveTextContent("Cut off");
    expect(calls[2]).toHaveTextContent("the client went away");
    // Refused by the router before it was sent: why, as the caller heard it; no tokens, no cost.
    expect(calls[3]).toHaveTextContent("Refused");
    expect(calls[3]).toHaveTextContent("HTTP 400");
    expect(calls[3]).toHaveTextContent("Budget “Ops daily” is paused");
    expect(calls[3]).toHaveTextContent("agent ops");
    expect(calls[3]).not.toHaveTextContent("tokens");
    expect(calls[3]).not.toHaveTextContent("openrouter");
  });

  it("reads the request log again when the router stored calls", async () => {
    renderRouter();
    expect(await screen.findAllByTestId("router-call")).toHaveLength(4);
    const newest = { ...ROUTER_ACTIVITY.recent[1], tsMs: Date.UTC(2026, 11, 3, 9, 6), model: "openai/gpt-5" };
    backend.routerActivity.mockResolvedValueOnce({ ...ROUTER_ACTIVITY, recent: [newest, ...ROUTER_ACTIVITY.recent] });
    act(() => backend.emitRouterActivityChanged());
    await waitFor(() => expect(screen.getAllByTestId("router-call")).toHaveLength(5));
    expect(screen.getAllByTestId("router-call")[0]).toHaveTextContent("openrouter/openai/gpt-5");
    expect(screen.queryByTestId("router-activity-error")).toBeNull();
  });

  it("says when nothing went through the router", async () => {
    backend.routerActivity.mockResolvedValueOnce({ recent: [], today: [], month: [] });
    renderRouter();
    expect(await screen.findByTestId("router-spend-empty")).toHaveTextContent("today");
    expect(screen.getByTestId("router-recent-empty")).toBeInTheDocument();
  });
});

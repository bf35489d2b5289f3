import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BackendError } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { renderWithProviders } from "../test/render";
import { SessionActions } from "./SessionActions";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

describe("SessionActions", () => {
  it("stops a run and says what happened", async () => {
    const onDone = vi.fn();
    renderWithProviders(<SessionActions sessionKey="agent:main:main" onDone={onDone} />, { backend });
    expect(screen.queryByTestId("session-kill")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("session-abort"));
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("Its run was stopped.");
    expect(backend.abortSession).toHaveBeenCalledWith("agent:main:main");
    expect(onDone).toHaveBeenCalledWith("Its run was stopped.");
  });

  it("kills a sub-agent with its children", async () => {
    renderWithProviders(<SessionActions sessionKey="agent:main:subagent:abc" />, { backend });
    await userEvent.click(screen.getByTestId("session-kill"));
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("2 runs stopped.");
  });

  it("asks before deleting and resetting", async () => {
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    await userEvent.click(screen.getByTestId("session-delete"));
    const dialog = screen.getByTestId("session-delete-dialog");
    expect(dialog).toHaveTextContent("archives its transcript");
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.deleteSession).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId("session-reset"));
    await userEvent.click(within(screen.getByTestId("session-reset-dialog")).getByTestId("confirm"));
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("A new transcript starts.");
  });

  it("labels a session", async () => {
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    await userEvent.click(screen.getByTestId("session-label"));
    await userEvent.type(screen.getByTestId("session-label-text"), "Release notes");
    await userEvent.click(within(screen.getByTestId("session-label-dialog")).getByTestId("confirm"));
    expect(backend.changeSession).toHaveBeenCalledWith("agent:main:chat", { label: "Release notes" });
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("Labelled “Release notes”.");
    // The dialog opens with the label OpenClaw holds now.
    await userEvent.click(screen.getByTestId("session-label"));
    expect(screen.getByTestId("session-label-text")).toHaveValue("Release notes");
  });

  it("pins and unpins, archives and unarchives, as OpenClaw holds it", async () => {
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    const pin = await screen.findByTestId("session-pin");
    expect(pin).toHaveTextContent("Pin");
    expect(screen.queryByTestId("session-flags")).not.toBeInTheDocument();
    await userEvent.click(pin);
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("Pinned");
    expect(backend.changeSession).toHaveBeenLastCalledWith("agent:main:chat", { pinned: true });
    await waitFor(() => expect(screen.getByTestId("session-pin")).toHaveTextContent("Unpin"));
    expect(screen.getByTestId("session-flags")).toHaveTextContent("Pinned");

    // Archiving unpins (OpenClaw's rule), and an archived session offers no Pin.
    await userEvent.click(screen.getByTestId("session-archive"));
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent(
      "Archived in OpenClaw: out of its lists and unpinned, nothing deleted. Unarchive brings it back.",
    );
    expect(backend.changeSession).toHaveBeenLastCalledWith("agent:main:chat", { archived: true });
    await waitFor(() => expect(screen.getByTestId("session-archive")).toHaveTextContent("Unarchive"));
    expect(screen.getByTestId("session-flags")).toHaveTextContent(/^Archived in OpenClaw$/);
    expect(screen.queryByTestId("session-pin")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("session-archive"));
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("Back in OpenClaw's lists.");
    expect(backend.changeSession).toHaveBeenLastCalledWith("agent:main:chat", { archived: false });
    await waitFor(() => expect(screen.getByTestId("session-archive")).toHaveTextContent("Archive"));
    expect(screen.getByTestId("session-pin")).toHaveTextContent(/^Pin$/);
  });

  it("offers only what OpenClaw allows: no archive for a main session, no pin for a sub-agent", async () => {
    const main = renderWithProviders(<SessionActions sessionKey="agent:main:main" />, { backend });
    expect(await screen.findByTestId("session-pin")).toBeInTheDocument();
    expect(screen.queryByTestId("session-archive")).not.toBeInTheDocument();
    main.unmount();
    renderWithProviders(<SessionActions sessionKey="agent:main:subagent:abc" />, { backend });
    expect(await screen.findByTestId("session-archive")).toBeInTheDocument();
    expect(screen.queryByTestId("session-pin")).not.toBeInTheDocument();
  });

  it("without a gateway to ask, keeps the other actions and offers no toggle", async () => {
    backend.sessionState.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers"));
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    await waitFor(() => expect(backend.sessionState).toHaveBeenCalled());
    expect(screen.getByTestId("session-abort")).toBeInTheDocument();
    expect(screen.queryByTestId("session-pin")).not.toBeInTheDocument();
    expect(screen.queryByTestId("session-archive")).not.toBeInTheDocument();
  });

  it("shows a refusal", async () => {
    backend.abortSession.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers"));
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    await userEvent.click(screen.getByTestId("session-abort"));
    expect(await screen.findByTestId("session-action-error")).toHaveTextContent("no gateway answers");
  });
});

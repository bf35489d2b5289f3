import { screen, within } from "@testing-library/react";
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
    expect(backend.changeSession).toHaveBeenCalledWith("agent:main:chat", { label: "Release notes", pinned: null });
    expect(await screen.findByTestId("session-action-done")).toHaveTextContent("Labelled “Release notes”.");
  });

  it("shows a refusal", async () => {
    backend.abortSession.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers"));
    renderWithProviders(<SessionActions sessionKey="agent:main:chat" />, { backend });
    await userEvent.click(screen.getByTestId("session-abort"));
    expect(await screen.findByTestId("session-action-error")).toHaveTextContent("no gateway answers");
  });
});

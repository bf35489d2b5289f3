import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { renderWithProviders } from "../test/render";
import { AgentsPage } from "./AgentsPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

const renderAgents = () => renderWithProviders(<AgentsPage />, { backend });
const rowOf = (id: string) => screen.getAllByTestId("agent-row").find((r) => r.dataset.agent === id)!;

describe("AgentsPage agents", () => {
  it("lists each agent with its status, model, sessions and spend", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    const main = rowOf("main");
    expect(main).toHaveTextContent("🦞 main");
    expect(main).toHaveTextContent("Running");
    expect(main).toHaveTextContent("Default");
    expect(main).toHaveTextContent("anthropic/claude-sonnet-4-5");
    expect(main).toHaveTextContent("12 sessions");
    expect(within(main).getByTestId("agent-spend")).toHaveTextContent("$1.25 today · $48.50 in all");
    const research = rowOf("research");
    expect(research).toHaveTextContent("Idle");
    expect(research).toHaveTextContent("default model");
  });

  it("creates an agent, checking its name and model first", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    await userEvent.click(screen.getByTestId("add-agent"));
    await userEvent.type(screen.getByTestId("agent-model"), "no-slash");
    await userEvent.click(screen.getByTestId("agent-save"));
    expect(await screen.findByText(/at least one letter or digit/)).toBeInTheDocument();
    expect(screen.getByText(/Write it as provider\/model/)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("agent-name"), "Build Box");
    expect(screen.getByText("Its id will be build-box.")).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId("agent-model"));
    await userEvent.click(screen.getByTestId("agent-save"));
    expect(backend.createAgent).toHaveBeenCalledWith({ name: "Build Box", model: null, workspace: null, emoji: null });
    await waitFor(() => expect(rowOf("build-box")).toBeInTheDocument());
  });

  it("shows OpenClaw's refusal in the dialog", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    await userEvent.click(screen.getByTestId("add-agent"));
    await userEvent.type(screen.getByTestId("agent-name"), "main");
    await userEvent.click(screen.getByTestId("agent-save"));
    expect(await screen.findByText(/already exists/)).toBeInTheDocument();
    expect(screen.getByTestId("agent-dialog")).toBeInTheDocument();
  });

  it("sends only what changed when editing", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    await userEvent.click(within(rowOf("research")).getByTestId("edit-agent"));
    await userEvent.type(screen.getByTestId("agent-emoji"), "🔬");
    await userEvent.click(screen.getByTestId("agent-save"));
    expect(backend.editAgent).toHaveBeenCalledWith("research", { name: null, model: null, emoji: "🔬" });
    await waitFor(() => expect(rowOf("research")).toHaveTextContent("🔬 Research"));
  });

  it("stops every run of a running agent", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    expect(within(rowOf("research")).queryByTestId("stop-agent")).not.toBeInTheDocument();
    await userEvent.click(within(rowOf("main")).getByTestId("stop-agent"));
    expect(backend.abortAgent).toHaveBeenCalledWith("main");
  });

  it("says why when the gateway cannot be reached, and retries", async () => {
    backend.agents.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers at ws://127.0.0.1:18789/"));
    renderAgents();
    expect(await screen.findByTestId("agents-error")).toHaveTextContent("no gateway answers");
    await userEvent.click(within(screen.getByTestId("agents-error")).getByRole("button", { name: /retry/i }));
    expect(await screen.findAllByTestId("agent-row")).toHaveLength(2);
  });
});

describe("AgentsPage archive, restore, purge", () => {
  it("archives an agent after saying what happens; it moves to Archived and the audit log", async () => {
    renderAgents();
    await screen.findAllByTestId("agent-row");
    await userEvent.click(within(rowOf("research")).getByTestId("archive-agent"));
    const dialog = screen.getByTestId("archive-agent-dialog");
    expect(dialog).toHaveTextContent("Restore brings it all back");
    await userEvent.click(within(dialog).getByTestId("confirm"));
    await waitFor(() => expect(screen.getAllByTestId("agent-row")).toHaveLength(1));
    const archived = await screen.findAllByTestId("archive-row");
    expect(archived[0]).toHaveTextContent("Research");
    await waitFor(() => expect(screen.getAllByTestId("audit-row")[0]).toHaveTextContent("Archived research"));
  });

  it("restores an archive under a free name and says so", async () => {
    renderAgents();
    const [archive] = await screen.findAllByTestId("archive-row");
    await userEvent.click(within(archive).getByTestId("restore-agent"));
    expect(await screen.findByTestId("restored")).toHaveTextContent("Restored as ops (ops) with 1 cron job.");
    await waitFor(() => expect(rowOf("ops")).toBeInTheDocument());
    expect(await screen.findByTestId("archived-empty")).toBeInTheDocument();
  });

  it("purges only once the agent's name is typed", async () => {
    renderAgents();
    const [archive] = await screen.findAllByTestId("archive-row");
    await userEvent.click(within(archive).getByTestId("purge-archive"));
    const dialog = screen.getByTestId("purge-archive-dialog");
    const purge = within(dialog).getByTestId("confirm");
    expect(purge).toBeDisabled();
    await userEvent.type(within(dialog).getByTestId("purge-confirm-name"), "op");
    expect(purge).toBeDisabled();
    await userEvent.type(within(dialog).getByTestId("purge-confirm-name"), "s");
    await userEvent.click(purge);
    expect(backend.purgeArchive).toHaveBeenCalledWith("ops-20261201T090000Z", "ops");
    expect(await screen.findByTestId("archived-empty")).toBeInTheDocument();
  });

  it("shows an unfinished archive for what it is", async () => {
    backend.archivedAgents.mockResolvedValueOnce([
      { id: "x-1", agentId: "x", name: "x", model: null, archivedMs: 1, state: "archiving", cronJobs: 0, files: [], restoredAs: null },
    ]);
    renderAgents();
    const [row] = await screen.findAllByTestId("archive-row");
    expect(row).toHaveTextContent("Archiving did not finish");
    expect(row).toHaveTextContent("archive the agent again to finish");
    expect(within(row).queryByTestId("restore-agent")).not.toBeInTheDocument();
  });
});

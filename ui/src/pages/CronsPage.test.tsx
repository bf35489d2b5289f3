import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { DAILY_JOB } from "../test/fixtures";
import { renderWithProviders } from "../test/render";
import { CronsPage } from "./CronsPage";
import { cronValues, scheduleOf } from "./crons/cronForm";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

const renderCrons = () => renderWithProviders(<CronsPage />, { backend });
const rowOf = (id: string) => screen.getAllByTestId("cron-row").find((r) => r.dataset.job === id)!;

describe("CronsPage", () => {
  it("lists each job with its schedule in words; OpenClaw's own cannot be changed", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    const daily = rowOf("job-1");
    expect(within(daily).getByTestId("cron-schedule")).toHaveTextContent("every day at 09:00 (Europe/Berlin)");
    expect(daily).toHaveTextContent("agent main");
    expect(within(daily).getByTestId("cron-switch")).toBeChecked();
    const heartbeat = rowOf("heartbeat-main");
    expect(heartbeat).toHaveTextContent("OpenClaw's own");
    expect(within(heartbeat).getByTestId("cron-switch")).toBeDisabled();
    expect(within(heartbeat).queryByTestId("edit-cron")).not.toBeInTheDocument();
  });

  it("switches a job off and on", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(within(rowOf("job-1")).getByTestId("cron-switch"));
    expect(backend.setCronEnabled).toHaveBeenCalledWith("job-1", false);
    await waitFor(() => expect(within(rowOf("job-1")).getByTestId("cron-switch")).not.toBeChecked());
    expect(rowOf("job-1")).toHaveTextContent("not scheduled");
  });

  it("makes a job, showing the engine's check of its schedule", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(screen.getByTestId("add-cron"));
    await userEvent.click(screen.getByTestId("cron-save"));
    expect(await screen.findByText("Give the job a name.")).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("cron-name"), "Nightly");
    // The agent is picked from the gateway's agents (named with their id), the default first.
    const agent = screen.getByTestId("cron-agent-id");
    expect(within(agent).getAllByRole("option").map((o) => o.textContent)).toEqual(["The default agent", "main", "Research (research)"]);
    await userEvent.selectOptions(agent, "research");
    await userEvent.type(screen.getByTestId("cron-message"), "Check the build");
    await userEvent.click(screen.getByTestId("cron-kind-cron"));
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await userEvent.type(screen.getByTestId("cron-expr"), "0 25 * * *");
    // Said as it is typed, and again when saving is tried.
    expect(await screen.findByTestId("cron-preview-error")).toHaveTextContent("the hour field has 25: it runs 0–23");
    await userEvent.click(screen.getByTestId("cron-save"));
    await waitFor(() => expect(screen.getAllByText(/the hour field has 25: it runs 0–23/)).toHaveLength(2));
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await userEvent.type(screen.getByTestId("cron-expr"), "0 2 * * *");
    await userEvent.click(screen.getByTestId("cron-save"));
    await waitFor(() => expect(screen.getAllByTestId("cron-row")).toHaveLength(3));
    const [draft] = backend.addCron.mock.lastCall!;
    expect([draft.name, draft.agentId, draft.message, draft.schedule]).toEqual(["Nightly", "research", "Check the build", { kind: "cron", expr: "0 2 * * *", tz: draft.schedule.kind === "cron" ? draft.schedule.tz : null }]);
  });

  it("previews a schedule's next runs in its time zone as it is typed", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(screen.getByTestId("add-cron"));
    // A new job: once a day, counted from when it is saved.
    expect(await screen.findByTestId("cron-preview")).toHaveTextContent("counted from when it is saved");
    await userEvent.click(screen.getByTestId("cron-kind-cron"));
    await userEvent.clear(screen.getByTestId("cron-tz"));
    await userEvent.type(screen.getByTestId("cron-tz"), "Asia/Tokyo");
    await waitFor(() => expect(backend.cronPreview).toHaveBeenLastCalledWith({ kind: "cron", expr: "0 9 * * *", tz: "Asia/Tokyo" }, null));
    const preview = await screen.findByTestId("cron-preview");
    expect(preview).toHaveTextContent("(Asia/Tokyo)");
    const runs = within(preview).getAllByTestId("cron-preview-run");
    expect(runs).toHaveLength(5);
    // 09:00 UTC is 18:00 in Tokyo: each run is shown in the schedule's zone.
    expect(runs[0]).toHaveTextContent("18:00");
    // Typing settles before the engine is asked again: one call for the whole expression.
    const before = backend.cronPreview.mock.calls.length;
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await userEvent.type(screen.getByTestId("cron-expr"), "30 7 * * 1-5");
    await waitFor(() => expect(backend.cronPreview).toHaveBeenLastCalledWith({ kind: "cron", expr: "30 7 * * 1-5", tz: "Asia/Tokyo" }, null));
    expect(backend.cronPreview.mock.calls.length - before).toBeLessThanOrEqual(2);
    // An empty expression: the form's own message on saving, no preview.
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await waitFor(() => expect(screen.queryByTestId("cron-preview")).not.toBeInTheDocument());
    await userEvent.click(screen.getByTestId("cron-kind-at"));
    await userEvent.type(screen.getByTestId("cron-at"), "2027-01-01T09:00:00+01:00");
    expect(await screen.findByText("Its run (UTC):", { exact: false })).toBeInTheDocument();
  });

  it("says how OpenClaw staggers a top-of-hour job, exactly for a job being changed", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(screen.getByTestId("add-cron"));
    await userEvent.click(screen.getByTestId("cron-kind-cron"));
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await userEvent.type(screen.getByTestId("cron-expr"), "0 * * * *");
    expect(await screen.findByTestId("cron-preview-stagger")).toHaveTextContent("up to 5 min later");
    await userEvent.keyboard("{Escape}");
    await userEvent.click(within(rowOf("job-1")).getByTestId("edit-cron"));
    await userEvent.clear(screen.getByTestId("cron-expr"));
    await userEvent.type(screen.getByTestId("cron-expr"), "0 * * * *");
    await waitFor(() => expect(backend.cronPreview).toHaveBeenLastCalledWith(expect.objectContaining({ expr: "0 * * * *" }), "job-1"));
    expect(await screen.findByTestId("cron-preview-stagger")).toHaveTextContent("starts this job 42 s after the hour");
    expect(within(screen.getByTestId("cron-preview")).getAllByTestId("cron-preview-run")[0]).toHaveTextContent(":00");
  });

  it("keeps a job's own stagger while its expression stays, and lets OpenClaw choose once it changes", () => {
    const job = { ...DAILY_JOB, schedule: { kind: "cron" as const, expr: "0 * * * *", tz: "UTC", staggerMs: 0 } };
    const values = cronValues(job);
    const kept = scheduleOf(values);
    expect(kept.ok && kept.schedule).toEqual({ kind: "cron", expr: "0 * * * *", tz: "UTC", staggerMs: 0 });
    const changed = scheduleOf({ ...values, expr: "0 */2 * * *" });
    expect(changed.ok && changed.schedule).toEqual({ kind: "cron", expr: "0 */2 * * *", tz: "UTC" });
  });

  it("keeps a job's agent the gateway no longer has as a choice, and takes a typed id when the agents cannot be read", async () => {
    backend.agents.mockResolvedValueOnce([{ ...(await backend.agents())[1] }]);
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(within(rowOf("job-1")).getByTestId("edit-cron"));
    const agent = await screen.findByRole("combobox", { name: "Agent" });
    expect(agent).toHaveValue("main");
    expect(within(agent).getByRole("option", { name: "main (not on the gateway)" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));

    backend.agents.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers"));
    await userEvent.click(screen.getByTestId("add-cron"));
    const typed = screen.getByTestId("cron-agent-id");
    expect(typed.tagName).toBe("INPUT");
    await userEvent.type(typed, "ops");
    expect(typed).toHaveValue("ops");
  });

  it("edits a job with its values filled in", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(within(rowOf("job-1")).getByTestId("edit-cron"));
    expect(screen.getByTestId("cron-expr")).toHaveValue("0 9 * * *");
    expect(screen.getByTestId("cron-tz")).toHaveValue("Europe/Berlin");
    await userEvent.click(screen.getByTestId("cron-kind-every"));
    await userEvent.clear(screen.getByTestId("cron-minutes"));
    await userEvent.type(screen.getByTestId("cron-minutes"), "60");
    await userEvent.click(screen.getByTestId("cron-save"));
    expect(backend.editCron).toHaveBeenCalledWith("job-1", expect.objectContaining({ schedule: { kind: "every", everyMs: 3_600_000 } }));
    await waitFor(() => expect(within(rowOf("job-1")).getByTestId("cron-schedule")).toHaveTextContent("every 60 min"));
  });

  it("runs a job now and shows its runs with their cost", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(within(rowOf("job-1")).getByTestId("run-cron"));
    expect(await screen.findByTestId("cron-started")).toBeInTheDocument();
    await userEvent.click(within(rowOf("job-1")).getByTestId("cron-runs-toggle"));
    const run = await screen.findByTestId("cron-run");
    expect(run).toHaveTextContent("2 calls");
    expect(within(run).getByTestId("cron-run-cost")).toHaveTextContent("$0.04");
  });

  it("removes a job only after asking", async () => {
    renderCrons();
    await screen.findAllByTestId("cron-row");
    await userEvent.click(within(rowOf("job-1")).getByTestId("remove-cron"));
    const dialog = screen.getByTestId("remove-cron-dialog");
    expect(dialog).toHaveTextContent("Switch it off instead to keep it");
    await userEvent.click(within(dialog).getByTestId("confirm"));
    await waitFor(() => expect(screen.getAllByTestId("cron-row")).toHaveLength(1));
  });

  it("says why the jobs cannot be read", async () => {
    backend.crons.mockRejectedValueOnce(new BackendError("GATEWAY", "no gateway answers"));
    renderCrons();
    expect(await screen.findByTestId("crons-error")).toHaveTextContent("no gateway answers");
  });
});

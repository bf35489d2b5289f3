import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type BudgetBoard, type PauseView } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { AGENT_PAUSE, BOARD, BOARD_EMPTY, BOARD_PAUSED, DOCTOR_NOT_FOUND, SUMMARY } from "../test/fixtures";
import { pending } from "../test/pending";
import { renderApp, renderWithProviders } from "../test/render";
import { OverviewPage } from "./OverviewPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderOverview() {
  return renderWithProviders(<OverviewPage />, { backend });
}

describe("OverviewPage", () => {
  it("shows a skeleton, then today / week / month spend, calls and the tray's title", async () => {
    renderOverview();
    expect(screen.getByTestId("page-overview")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Overview" })).toBeInTheDocument();
    expect(screen.queryByTestId("spend-today")).not.toBeInTheDocument();

    expect(await screen.findByTestId("spend-today")).toHaveTextContent(/^\$1\.50$/);
    expect(screen.getByTestId("spend-week")).toHaveTextContent("$12.35");
    expect(screen.getByTestId("spend-month")).toHaveTextContent("$48.20");
    expect(screen.getByTestId("today-calls")).toHaveTextContent("42 model calls");
    // A budget covers all spend: the tray shows it against its limit, and so does the pill.
    await waitFor(() => expect(screen.getByTestId("tray-label")).toHaveTextContent("$12.34 / $20"));
    expect(screen.getByTestId("as-of")).toHaveTextContent("14:05:09");
    expect(screen.queryByTestId("unpriced-warning")).not.toBeInTheDocument();
  });

  it("formats zero as $0.00 and sub-cent amounts with 4 decimals", async () => {
    backend.spendSummary.mockResolvedValue({ ...SUMMARY, todayUsd: 0, weekUsd: 0.0042 });
    renderOverview();
    expect(await screen.findByTestId("spend-today")).toHaveTextContent(/^\$0\.00$/);
    expect(screen.getByTestId("spend-week")).toHaveTextContent("$0.0042");
  });

  it("warns about unpriced tokens", async () => {
    backend.spendSummary.mockResolvedValue({ ...SUMMARY, unpricedTokensToday: 12345 });
    renderOverview();
    expect(await screen.findByTestId("unpriced-warning")).toHaveTextContent("12,345 tokens");
  });

  it("shows the error code and message, and Retry fetches again", async () => {
    backend.spendSummary.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    renderOverview();

    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("STORE_UNAVAILABLE");
    expect(panel).toHaveTextContent("database is locked");
    expect(backend.spendSummary).toHaveBeenCalledTimes(1);

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findByTestId("spend-today")).toHaveTextContent("$1.50");
    expect(backend.spendSummary).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("error-panel")).not.toBeInTheDocument();
  });

  it("updates the numbers live on spend-updated and unsubscribes on unmount", async () => {
    backend.budgetBoard.mockResolvedValue(BOARD_EMPTY);
    const { unmount } = renderOverview();
    expect(await screen.findByTestId("spend-today")).toHaveTextContent("$1.50");

    act(() => backend.emitSpendUpdated({ ...SUMMARY, todayUsd: 2.75, trayLabel: "$2.75 today" }));

    expect(screen.getByTestId("spend-today")).toHaveTextContent("$2.75");
    expect(screen.getByTestId("tray-label")).toHaveTextContent("$2.75 today");
    unmount();
    expect(backend.listenerCount()).toBe(0);
  });

  it("shows the top spenders between the spend cards and the OpenClaw card", async () => {
    renderOverview();
    const top = await screen.findByTestId("top-spenders");
    expect(await within(top).findAllByTestId("top-entry")).not.toHaveLength(0);
    const follows = (a: Element, b: Element) =>
      Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(screen.getByTestId("spend-month"), top)).toBe(true);
    expect(follows(top, screen.getByTestId("openclaw-card"))).toBe(true);
    expect(backend.topSpend).toHaveBeenCalledWith("day");
  });

  it("shows the gateways, live, between the top spenders and the OpenClaw card", async () => {
    renderOverview();
    const gateways = await screen.findByTestId("gateways-card");
    expect(await within(gateways).findAllByTestId("gateway-row")).toHaveLength(2);
    const follows = (a: Element, b: Element) =>
      Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(screen.getByTestId("top-spenders"), gateways)).toBe(true);
    const openclaw = screen.getByTestId("openclaw-card");
    expect(follows(gateways, openclaw)).toBe(true);
    expect(within(openclaw).queryByTestId("gateway-status")).not.toBeInTheDocument();
    expect(backend.gateways).toHaveBeenCalledTimes(1);
  });

  it("shows what doctor found, with hints only for checks that are not ok", async () => {
    renderOverview();
    const checks = await screen.findByTestId("doctor-checks");
    expect(screen.getByTestId("doctor-state-dir")).toHaveTextContent("/home/ada/.openclaw");
    expect(screen.getByTestId("doctor-storage")).toHaveTextContent("SQLite");
    expect(screen.getByTestId("doctor-gateway")).toHaveTextContent("ws://127.0.0.1:18789");
    expect(screen.getByTestId("doctor-agents")).toHaveTextContent("main");
    expect(screen.getByTestId("doctor-agents")).toHaveTextContent("12 sessions");

    const ok = within(checks).getByTestId("doctor-check-state-dir");
    const warn = within(checks).getByTestId("doctor-check-gateway");
    expect(ok).toHaveTextContent("OK");
    expect(within(ok).queryByTestId("doctor-check-hint")).not.toBeInTheDocument();
    expect(warn).toHaveTextContent("Warning");
    expect(within(warn).getByTestId("doctor-check-hint")).toHaveTextContent("openclaw gateway");
  });

  it("explains OPENCLAW_STATE_DIR / OPENCLAW_HOME when no install was found", async () => {
    backend.doctor.mockResolvedValue(DOCTOR_NOT_FOUND);
    renderOverview();
    const empty = await screen.findByTestId("doctor-empty");
    expect(empty).toHaveTextContent("OPENCLAW_STATE_DIR");
    expect(empty).toHaveTextContent("OPENCLAW_HOME");
    expect(screen.getByTestId("doctor-checks")).toHaveTextContent("Missing");
  });

  it("shows the empty state when the state dir the engine looked at is missing", async () => {
    backend.doctor.mockResolvedValue({ ...DOCTOR_NOT_FOUND, stateDir: "/home/ada/.openclaw" });
    renderOverview();
    expect(await screen.findByTestId("doctor-empty")).toHaveTextContent("/home/ada/.openclaw");
  });

  it("shows a doctor failure in its own card with Retry", async () => {
    backend.doctor.mockRejectedValueOnce(new BackendError("IO", "permission denied"));
    renderOverview();
    const panel = await screen.findByTestId("doctor-error");
    expect(panel).toHaveTextContent("permission denied");
    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("doctor-checks")).toBeInTheDocument();
    expect(await screen.findByTestId("spend-today")).toBeInTheDocument();
  });
});

describe("OverviewPage paused notice", () => {
  it("shows nothing while nothing is paused, and appears live when a pause starts", async () => {
    renderOverview();
    await screen.findByTestId("spend-today");
    await waitFor(() => expect(backend.boardListenerCount()).toBe(1));
    expect(screen.queryByTestId("paused-strip")).not.toBeInTheDocument();

    act(() => backend.emitBudgetBoard(BOARD_PAUSED));

    const strip = screen.getByTestId("paused-strip");
    expect(strip).toHaveTextContent(`Paused — ${AGENT_PAUSE.reason}`);
    const follows = (a: Element, b: Element) =>
      Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(strip, screen.getByTestId("spend-today"))).toBe(true);
  });

  it("counts further pauses and links to the Budgets page", async () => {
    backend.setBoard({
      ...BOARD,
      pauses: [AGENT_PAUSE, { ...AGENT_PAUSE, id: 8, scope: "all", reason: "Paused from the tray" }],
    });
    renderApp(backend);
    const strip = await screen.findByTestId("paused-strip");
    expect(strip).toHaveTextContent("(+1 more)");

    await userEvent.click(within(strip).getByTestId("paused-strip-link"));

    expect(await screen.findByTestId("page-budgets")).toBeInTheDocument();
    expect(await screen.findAllByTestId("pause-item")).toHaveLength(2);
  });

  it("resumes from the notice, which goes away once the pushed board has no pause", async () => {
    backend.setBoard(BOARD_PAUSED);
    renderOverview();
    const strip = await screen.findByTestId("paused-strip");
    const resumed = pending<PauseView[]>();
    backend.resumeAll.mockReturnValueOnce(resumed.promise);

    await userEvent.click(within(strip).getByTestId("resume"));
    expect(within(strip).getByTestId("resume")).toHaveTextContent("Resuming…");

    await resumed.resolve([AGENT_PAUSE]);
    expect(backend.resumeAll).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("paused-strip")).toBeInTheDocument();

    act(() => backend.emitBudgetBoard(BOARD));
    expect(screen.queryByTestId("paused-strip")).not.toBeInTheDocument();
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("goes away when Resume lifts the pause, through budget-board-changed alone", async () => {
    backend.setBoard(BOARD_PAUSED);
    renderOverview();
    const strip = await screen.findByTestId("paused-strip");

    await userEvent.click(within(strip).getByTestId("resume"));

    await waitFor(() => expect(screen.queryByTestId("paused-strip")).not.toBeInTheDocument());
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("lists what an incomplete resume could not undo", async () => {
    backend.setBoard(BOARD_PAUSED);
    backend.resumeAll.mockResolvedValueOnce([{ ...AGENT_PAUSE, problems: ["could not undo `cron enable`: timeout"] }]);
    renderOverview();
    const strip = await screen.findByTestId("paused-strip");

    await userEvent.click(within(strip).getByTestId("resume"));

    expect(await within(strip).findByTestId("resume-problems")).toHaveTextContent(
      "could not undo cron enable: timeout",
    );
  });

  it("stays hidden when the board cannot be read", async () => {
    const board = pending<BudgetBoard>();
    backend.budgetBoard.mockReturnValueOnce(board.promise);
    renderOverview();
    await screen.findByTestId("spend-today");

    await board.reject(new BackendError("STORE_UNAVAILABLE", "database is locked"));

    expect(screen.queryByTestId("paused-strip")).not.toBeInTheDocument();
    expect(screen.queryByTestId("error-panel")).not.toBeInTheDocument();
  });
});

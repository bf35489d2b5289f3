import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type BudgetBoard, type GatewayStatus, type PauseView } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import {
  AGENT_PAUSE,
  BOARD,
  BOARD_EMPTY,
  BOARD_PAUSED,
  DAILY_BUDGET,
  DAILY_STATUS,
  GATEWAY_CONNECTING,
  GATEWAY_LIVE,
  GATEWAY_PAIRING_REQUIRED,
  REMOTE_LIVE,
} from "../test/fixtures";
import { pending } from "../test/pending";
import { renderWithProviders } from "../test/render";
import { BudgetsPage } from "./BudgetsPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderBudgets() {
  return renderWithProviders(<BudgetsPage />, { backend, path: "/budgets" });
}

/** Each budget row as [name, label, percent, scope, window, burn]. */
function rows(): string[][] {
  return screen
    .getAllByTestId("budget-row")
    .map((row) =>
      ["budget-row-name", "budget-label", "budget-percent", "budget-scope", "budget-window", "budget-burn"].map(
        (id) => within(row).getByTestId(id).textContent ?? "",
      ),
    );
}

function row(name: string): HTMLElement {
  const found = screen
    .getAllByTestId("budget-row")
    .find((r) => within(r).getByTestId("budget-row-name").textContent === name);
  if (!found) throw new Error(`No budget row "${name}"`);
  return found;
}

describe("BudgetsPage list", () => {
  it("shows why a budget is not enforced, and a stored budget that cannot be read, beside the others", async () => {
    backend.setBoard({
      ...BOARD,
      budgets: [{ ...DAILY_STATUS, label: "? / $20", problem: "not measured: no such table: usage_by_bucket" }, BOARD.budgets[1]],
      unusable: [{ id: 7, why: "budget 7: expected value at line 1 column 2" }],
    });
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    const daily = row("Daily cap");
    expect(within(daily).getByTestId("budget-unenforced")).toHaveTextContent("Not enforced");
    expect(within(daily).getByTestId("budget-problem")).toHaveTextContent("no such table: usage_by_bucket");
    expect(within(daily).queryByRole("meter")).not.toBeInTheDocument();
    const other = row("Research agent");
    expect(within(other).queryByTestId("budget-problem")).not.toBeInTheDocument();
    const unusable = screen.getByTestId("budget-unusable");
    expect(unusable).toHaveTextContent("Budget #7 is stored but cannot be read");
    expect(within(unusable).getByText("clawtower budget rm 7").tagName).toBe("CODE");
  });

  it("shows a skeleton, then every budget with its figures, gauge, projection and paused badge", async () => {
    const board = pending<BudgetBoard>();
    backend.budgetBoard.mockReturnValueOnce(board.promise);
    renderBudgets();
    expect(screen.getByRole("heading", { level: 1, name: "Budgets" })).toBeInTheDocument();
    expect(within(screen.getByTestId("budgets-card")).getByLabelText("Loading")).toBeInTheDocument();
    expect(screen.queryByTestId("budget-row")).not.toBeInTheDocument();

    await board.resolve(BOARD);

    expect(rows()).toEqual([
      ["Daily cap", "$12.34 / $20", "62%", "All spend", "today", "$1.50/h"],
      ["Research agent", "$6.00 / $5", "120%", "Agent research", "last 6 h", "$0.00/h"],
    ]);
    const daily = row("Daily cap");
    expect(within(daily).getByTestId("budget-projection")).toHaveTextContent("at this rate: $20 at 19:11");
    expect(within(daily).queryByTestId("budget-paused")).not.toBeInTheDocument();
    expect(daily).toHaveTextContent("alerts only");
    const agent = row("Research agent");
    expect(within(agent).getByTestId("budget-paused")).toHaveTextContent("Paused");
    expect(within(agent).queryByTestId("budget-projection")).not.toBeInTheDocument();
    expect(agent).toHaveTextContent("pauses at the limit");
  });

  it("draws each gauge coloured by level with the limit marker and the other thresholds as ticks", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");

    const daily = within(row("Daily cap")).getByTestId("budget-gauge");
    expect(daily).toHaveAttribute("data-level", "warning");
    expect(daily).toHaveAttribute("aria-valuetext", "$12.34 / $20 (62%)");
    expect(daily.querySelector<HTMLElement>(".budget-gauge-fill")?.style.width).toBe("61.7%");
    expect(within(daily).getByTestId("budget-gauge-limit").style.left).toBe("100%");
    expect(within(daily).getAllByTestId("budget-gauge-tick").map((t) => t.style.left)).toEqual(["50%", "80%"]);

    // Thresholds past 100 % and overspend stretch the scale: 0 to 120 %.
    const agent = within(row("Research agent")).getByTestId("budget-gauge");
    expect(agent).toHaveAttribute("data-level", "exceeded");
    expect(agent.querySelector<HTMLElement>(".budget-gauge-fill")?.style.width).toBe("100%");
    expect(within(agent).getByTestId("budget-gauge-limit").style.left).toBe("83.3%");
    expect(within(agent).getAllByTestId("budget-gauge-tick").map((t) => t.style.left)).toEqual(["66.7%", "100%"]);
  });

  it("explains budgets when there are none, with a New budget button that opens the dialog", async () => {
    backend.setBoard(BOARD_EMPTY);
    renderBudgets();
    const empty = await screen.findByTestId("budgets-empty");
    expect(empty).toHaveTextContent("No budgets yet");
    expect(empty).toHaveTextContent("pause the gateway when the limit is reached");

    await userEvent.click(within(empty).getByRole("button", { name: "New budget" }));
    expect(screen.getByRole("dialog", { name: "New budget" })).toBeInTheDocument();
  });

  it("shows the error with Retry, which loads the board again", async () => {
    backend.budgetBoard.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    renderBudgets();
    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("STORE_UNAVAILABLE");
    expect(panel).toHaveTextContent("database is locked");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findAllByTestId("budget-row")).toHaveLength(2);
    expect(backend.budgetBoard).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("error-panel")).not.toBeInTheDocument();
  });

  it("follows budget-board-changed events without fetching again, and unsubscribes on unmount", async () => {
    const { unmount } = renderBudgets();
    await screen.findAllByTestId("budget-row");

    act(() =>
      backend.emitBudgetBoard({
        budgets: [{ ...DAILY_STATUS, label: "$19.00 / $20", percent: 95, paused: true }],
        pauses: [AGENT_PAUSE],
        unacknowledgedAlerts: 0,
        unusable: [],
      }),
    );

    expect(rows()).toEqual([["Daily cap", "$19.00 / $20", "95%", "All spend", "today", "$1.50/h"]]);
    expect(within(row("Daily cap")).getByTestId("budget-paused")).toBeInTheDocument();
    expect(screen.getByTestId("paused-banner")).toHaveTextContent(AGENT_PAUSE.reason);
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);

    unmount();
    expect(backend.boardListenerCount()).toBe(0);
  });
});

describe("BudgetsPage delete and undo", () => {
  it("removes a budget at once and offers Undo, which restores it, following the pushed board", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");

    await userEvent.click(screen.getByRole("button", { name: "Delete Daily cap" }));

    expect(backend.removeBudget).toHaveBeenCalledWith(1);
    const snackbar = await screen.findByTestId("budget-removed");
    expect(snackbar).toHaveTextContent("Budget “Daily cap” removed");
    expect(rows().map(([name]) => name)).toEqual(["Research agent"]);

    await userEvent.click(within(snackbar).getByRole("button", { name: "Undo" }));

    expect(backend.restoreBudget).toHaveBeenCalledWith(DAILY_BUDGET);
    await waitFor(() => expect(screen.queryByTestId("budget-removed")).not.toBeInTheDocument());
    expect(rows().map(([name]) => name)).toEqual(["Daily cap", "Research agent"]);
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("offers one Undo at a time: removing a rule replaces the budget's offer", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    await screen.findAllByTestId("anomaly-row");

    await userEvent.click(screen.getByRole("button", { name: "Delete Daily cap" }));
    expect(await screen.findByTestId("budget-removed")).toBeInTheDocument();

    await userEvent.click(screen.getAllByRole("button", { name: /^Remove rule/ })[0]);

    expect(await screen.findByTestId("anomaly-removed")).toBeInTheDocument();
    expect(screen.queryByTestId("budget-removed")).not.toBeInTheDocument();
    expect(document.querySelectorAll(".snackbar")).toHaveLength(1);

    await userEvent.click(screen.getByRole("button", { name: "Delete Research agent" }));

    expect(await screen.findByTestId("budget-removed")).toHaveTextContent("Budget “Research agent” removed");
    expect(screen.queryByTestId("anomaly-removed")).not.toBeInTheDocument();
    expect(document.querySelectorAll(".snackbar")).toHaveLength(1);
  });

  it("shows why a removal failed and offers no undo", async () => {
    backend.removeBudget.mockRejectedValueOnce(new BackendError("NOT_FOUND", "budget 1 does not exist"));
    renderBudgets();
    await screen.findAllByTestId("budget-row");

    await userEvent.click(screen.getByRole("button", { name: "Delete Daily cap" }));

    expect(await screen.findByTestId("budget-removal-error")).toHaveTextContent("budget 1 does not exist");
    expect(screen.queryByTestId("budget-removed")).not.toBeInTheDocument();
  });
});

describe("BudgetsPage pause and resume", () => {
  it("shows the pause with its reason, scope, steps and Resume, which lifts it and shows progress", async () => {
    backend.setBoard(BOARD_PAUSED);
    renderBudgets();
    const banner = await screen.findByTestId("paused-banner");
    expect(within(banner).getByRole("heading", { name: "Paused" })).toBeInTheDocument();
    expect(banner).toHaveAttribute("data-problems", "false");
    expect(banner).toHaveTextContent("Agents are held until you resume.");
    expect(within(banner).getByTestId("pause-reason")).toHaveTextContent("Research agent reached its $5 limit");
    expect(banner).toHaveTextContent("Agent research · since");
    expect(within(banner).getByTestId("pause-since")).toHaveTextContent("13:45");
    const steps = within(within(banner).getByTestId("pause-steps")).getAllByRole("listitem");
    expect(steps.map((li) => li.textContent)).toEqual(AGENT_PAUSE.steps);
    expect(within(banner).queryByTestId("pause-problems")).not.toBeInTheDocument();

    const resumed = pending<PauseView[]>();
    backend.resumeAll.mockReturnValueOnce(resumed.promise);
    await userEvent.click(within(banner).getByTestId("resume"));
    expect(within(banner).getByTestId("resume")).toHaveTextContent("Resuming…");
    expect(within(banner).getByTestId("resume")).toBeDisabled();

    await resumed.resolve([{ ...AGENT_PAUSE, steps: [] }]);
    expect(backend.resumeAll).toHaveBeenCalledTimes(1);
    expect(within(banner).getByTestId("resume")).toHaveTextContent("Resume");

    // The pause goes away with the board the backend pushes; nothing fetches it again.
    act(() => backend.emitBudgetBoard(BOARD));
    expect(screen.queryByTestId("paused-banner")).not.toBeInTheDocument();
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("says which steps could not be done or undone, without claiming which", async () => {
    const problem = "could not disable cron job `nightly`: gateway timeout";
    backend.setBoard({ ...BOARD, pauses: [{ ...AGENT_PAUSE, problems: [problem] }] });
    renderBudgets();
    const banner = await screen.findByTestId("paused-banner");
    expect(within(banner).getByRole("heading", { name: "Paused" })).toBeInTheDocument();
    expect(banner).toHaveAttribute("data-problems", "true");
    expect(banner).toHaveTextContent("Some steps could not be done or undone");
    const problems = within(banner).getByTestId("pause-problems");
    expect(problems).toHaveTextContent("Some steps could not be done or undone:");
    expect(problems).toHaveTextContent("could not disable cron job nightly: gateway timeout");
    expect(within(problems).getByText("nightly").tagName).toBe("CODE");
  });

  it("lists what a resume could not undo, and shows a resume failure", async () => {
    backend.setBoard(BOARD_PAUSED);
    renderBudgets();
    const banner = await screen.findByTestId("paused-banner");
    const problem = 'could not undo "Stopped new runs of agent research": timeout';
    backend.resumeAll.mockResolvedValueOnce([{ ...AGENT_PAUSE, problems: [problem] }]);

    await userEvent.click(within(banner).getByTestId("resume"));

    expect(await within(banner).findByTestId("resume-problems")).toHaveTextContent(problem);
    expect(within(banner).getByTestId("resume")).toHaveTextContent("Resume");

    // The engine keeps the pause with that problem: the banner lists it without contradicting
    // the resume's outcome (it was not "partly paused").
    act(() => backend.emitBudgetBoard({ ...BOARD, pauses: [{ ...AGENT_PAUSE, problems: [problem] }] }));
    expect(within(banner).getByTestId("pause-problems")).toHaveTextContent(problem);
    expect(banner).not.toHaveTextContent(/partly paused/i);
    expect(within(banner).getByTestId("resume-problems")).toHaveTextContent("Resume incomplete");

    backend.resumeAll.mockRejectedValueOnce(new BackendError("GATEWAY", "the gateway is unreachable"));
    await userEvent.click(within(banner).getByTestId("resume"));

    expect(await within(banner).findByTestId("resume-error")).toHaveTextContent("the gateway is unreachable");
    expect(within(banner).queryByTestId("resume-problems")).not.toBeInTheDocument();
  });

  it("pauses everything from the header and shows the pause from the pushed board", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    const paused = pending<PauseView>();
    backend.pauseAll.mockReturnValueOnce(paused.promise);

    await userEvent.click(screen.getByTestId("pause-all"));
    expect(screen.getByTestId("pause-all")).toHaveTextContent("Pausing…");
    const manual: PauseView = { ...AGENT_PAUSE, id: 8, budgetId: null, scope: "all", reason: "Paused from the app" };
    await paused.resolve(manual);
    expect(screen.queryByTestId("paused-banner")).not.toBeInTheDocument();

    act(() => backend.emitBudgetBoard({ ...BOARD, pauses: [manual] }));

    expect(screen.getByTestId("paused-banner")).toHaveTextContent("Everything · since");
    expect(screen.getByTestId("pause-all")).toBeDisabled();
    expect(screen.getByTestId("pause-all")).toHaveAttribute("title", "Everything is already paused");
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("follows Pause all and Resume through budget-board-changed alone", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    await waitFor(() => expect(screen.getByTestId("pause-all")).toBeEnabled());

    await userEvent.click(screen.getByTestId("pause-all"));
    const banner = await screen.findByTestId("paused-banner");
    expect(within(banner).getByTestId("pause-reason")).toHaveTextContent("Paused from the app");

    await userEvent.click(within(banner).getByTestId("resume"));
    await waitFor(() => expect(screen.queryByTestId("paused-banner")).not.toBeInTheDocument());
    expect(backend.pauseAll).toHaveBeenCalledTimes(1);
    expect(backend.resumeAll).toHaveBeenCalledTimes(1);
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
  });

  it("shows the GATEWAY error's message when there is nothing to pause", async () => {
    backend.pauseAll.mockRejectedValueOnce(
      new BackendError("GATEWAY", "no OpenClaw gateway is configured on this machine, so there is nothing to pause"),
    );
    renderBudgets();
    await screen.findAllByTestId("budget-row");

    await userEvent.click(screen.getByTestId("pause-all"));

    const panel = await screen.findByTestId("pause-all-error");
    expect(panel).toHaveTextContent("The OpenClaw gateway is unavailable");
    expect(panel).toHaveTextContent("no OpenClaw gateway is configured on this machine");
    expect(screen.getByTestId("pause-all")).toBeEnabled();
  });
});

describe("BudgetsPage Pause all and the gateway connection", () => {
  it.each<[string, GatewayStatus[], string]>([
    [
      "missing",
      [],
      "No OpenClaw gateway is configured: install OpenClaw on this machine or add a gateway by URL " +
        "on the Overview page, so there is nothing to pause.",
    ],
    [
      "connecting",
      [GATEWAY_CONNECTING, REMOTE_LIVE],
      "Pausing needs the gateway connection: Clawtower is still connecting to it.",
    ],
    [
      "error",
      [GATEWAY_PAIRING_REQUIRED],
      "Pausing needs the gateway connection, which failed: " +
        "this device needs approval on the gateway host: run openclaw devices approve r-42",
    ],
  ])("disables Pause all while the gateway budgets pause is %s and says why", async (_state, gateways, reason) => {
    backend.gateways.mockResolvedValue(gateways);
    renderBudgets();
    await screen.findAllByTestId("budget-row");

    const button = screen.getByTestId("pause-all");
    await waitFor(() => expect(button).toHaveAttribute("title", reason));
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(reason);
    expect(button.parentElement).toHaveAttribute("title", reason);
    expect(backend.pauseAll).not.toHaveBeenCalled();
  });

  it("says it is checking until the status is known, then that it is unknown when unreadable", async () => {
    const answer = pending<GatewayStatus[]>();
    backend.gateways.mockReturnValueOnce(answer.promise);
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    const button = screen.getByTestId("pause-all");
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", "Checking the gateway connection…");

    await answer.reject(new BackendError("UNREACHABLE", "Cannot reach Clawtower."));

    expect(button).toBeDisabled();
    expect(button).toHaveAttribute(
      "title",
      "Pausing needs the gateway connection, and its state is unknown: Cannot reach Clawtower.",
    );
  });

  it("follows gateways-changed: enabled once live, disabled again when the connection drops", async () => {
    backend.gateways.mockResolvedValue([GATEWAY_CONNECTING]);
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    const button = screen.getByTestId("pause-all");
    await waitFor(() => expect(backend.gatewaysListenerCount()).toBe(1));
    expect(button).toBeDisabled();

    act(() => backend.emitGateways([GATEWAY_LIVE, REMOTE_LIVE]));
    expect(button).toBeEnabled();
    expect(button).toHaveAttribute("title", "Pause every agent now, until you resume");
    expect(button).not.toHaveAttribute("aria-describedby");
    expect(screen.queryByTestId("pause-all-unavailable")).not.toBeInTheDocument();

    act(() => backend.emitGateways([GATEWAY_PAIRING_REQUIRED, REMOTE_LIVE]));
    expect(button).toBeDisabled();
    expect(screen.getByTestId("pause-all-unavailable")).toHaveTextContent("which failed");
    expect(backend.gateways).toHaveBeenCalledTimes(1);
  });
});

describe("BudgetsPage alerting cards", () => {
  it("shows the anomaly rules after the budgets, then the alert history, then the alert destinations", async () => {
    renderBudgets();
    await screen.findAllByTestId("budget-row");
    await screen.findAllByTestId("anomaly-row");
    await screen.findAllByTestId("sink-row");

    const order = ["budgets-card", "anomaly-card", "alert-history", "sinks-card"].map((id) => screen.getByTestId(id));
    for (let i = 1; i < order.length; i++) {
      expect(order[i - 1].compareDocumentPosition(order[i]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
  });
});

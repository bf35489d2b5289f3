import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type AnomalyDraft, type AnomalyRules } from "../../../backend";
import { createFakeBackend, type FakeBackend } from "../../../test/fakeBackend";
import { ANOMALIES, DEFAULT_ANOMALY } from "../../../test/fixtures";
import { pending } from "../../../test/pending";
import { renderWithProviders } from "../../../test/render";
import { BudgetsPage } from "../../BudgetsPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

/** Renders the Budgets page, which holds the card (and the page's one Undo offer). */
function renderCard() {
  return renderWithProviders(<BudgetsPage />, { backend, path: "/budgets" });
}

const field = (testId: string) => screen.getByTestId(testId);
const phrases = () => screen.getAllByTestId("anomaly-phrase").map((p) => p.textContent);

async function openDialog() {
  renderCard();
  await screen.findAllByTestId("anomaly-row");
  await userEvent.click(screen.getByTestId("add-anomaly"));
  return screen.getByRole("dialog", { name: "Add anomaly rule" });
}

async function retype(testId: string, text: string) {
  await userEvent.clear(field(testId));
  if (text) await userEvent.type(field(testId), text);
}

const save = (dialog: HTMLElement) => userEvent.click(within(dialog).getByRole("button", { name: "Add rule" }));

describe("AnomalyRulesCard list", () => {
  it("shows a skeleton, then each rule in words, and says the default rule ships enabled", async () => {
    const list = pending<AnomalyRules>();
    backend.anomalyRules.mockReturnValueOnce(list.promise);
    renderCard();
    const card = screen.getByTestId("anomaly-card");
    expect(within(card).getByLabelText("Loading")).toBeInTheDocument();
    expect(card).toHaveTextContent(
      "A runaway-loop rule (the same tool call 10 times in a session, alert only) ships enabled.",
    );

    await list.resolve({
      rules: [
        ...ANOMALIES,
        { id: 5, rule: { kind: "tokenVelocity", tokensPerMinute: 50000 }, action: "pause", problem: null },
        { id: 6, rule: { kind: "errorSpike", errors: 20, minutes: 10 }, action: "alert", problem: null },
        { id: 7, rule: { kind: "longRun", minutes: 90 }, action: "pause", problem: null },
      ],
      unreadable: [],
    });

    expect(phrases()).toEqual([
      "The same tool call 10 times in a session — alert",
      "A session costing more than $5.00 — alert and pause that session",
      "More than 50,000 tokens a minute, all sessions together — alert and pause everything",
      "20 errors within 10 min — alert",
      "A session working for more than 90 min without a break — alert and pause that session",
    ]);
    expect(
      screen.getByRole("button", { name: "Remove rule: The same tool call 10 times in a session — alert" }),
    ).toBeInTheDocument();
  });

  it("shows why a rule could not be checked on its row", async () => {
    backend.anomalyRules.mockResolvedValueOnce({
      rules: [
        { ...DEFAULT_ANOMALY, problem: "ledger store error: malformed JSON" },
        { ...ANOMALIES[1], problem: null },
      ],
      unreadable: [],
    });
    renderCard();
    const rows = await screen.findAllByTestId("anomaly-row");
    expect(within(rows[0]).getByTestId("anomaly-problem")).toHaveTextContent(
      "Not checked on the last pass (ledger store error: malformed JSON)",
    );
    expect(within(rows[1]).queryByTestId("anomaly-problem")).not.toBeInTheDocument();
  });

  it("shows a rule that cannot be read with why, and removes it after asking (no Undo)", async () => {
    backend.anomalyRules.mockResolvedValueOnce({
      rules: [DEFAULT_ANOMALY],
      unreadable: [{ id: 9, why: "cannot be read: unknown variant `newer`" }],
    });
    renderCard();
    const row = await screen.findByTestId("anomaly-unreadable-row");
    expect(row).toHaveTextContent("Rule #9 cannot be read");
    expect(within(row).getByTestId("anomaly-unreadable-why")).toHaveTextContent(
      "Skipped: cannot be read: unknown variant `newer`. The other rules and every budget still run.",
    );
    expect(screen.getAllByTestId("anomaly-row")).toHaveLength(1);

    await userEvent.click(within(row).getByRole("button", { name: "Remove unreadable rule #9" }));
    const dialog = screen.getByRole("dialog", { name: "Remove rule #9?" });
    expect(dialog).toHaveTextContent("cannot be put back");
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove" }));

    expect(backend.removeAnomalyRule).toHaveBeenCalledWith(9);
    await waitFor(() => expect(screen.queryByTestId("anomaly-unreadable-row")).not.toBeInTheDocument());
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.queryByText("Undo")).not.toBeInTheDocument();
  });

  it("says when there are no rules, and shows a load failure with Retry", async () => {
    backend.anomalyRules.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    backend.anomalyRules.mockResolvedValueOnce({ rules: [], unreadable: [] });
    renderCard();
    const panel = await screen.findByTestId("anomaly-error");
    expect(panel).toHaveTextContent("database is locked");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findByTestId("anomaly-empty")).toHaveTextContent("nothing watches for runaway loops");
  });
});

describe("AnomalyRulesCard add rule", () => {
  it("starts on a runaway loop of 10 that alerts, checks the number, then adds it and shows it", async () => {
    const dialog = await openDialog();
    expect(field("anomaly-kind")).toHaveFocus();
    expect(field("anomaly-kind")).toHaveValue("runawayLoop");
    expect(field("anomaly-repeats")).toHaveValue("10");
    expect(field("anomaly-action-alert")).toBeChecked();

    await retype("anomaly-repeats", "1");
    await save(dialog);
    expect(within(dialog).getByText("Enter a whole number of repeats, 2 or more.")).toBeInTheDocument();
    expect(field("anomaly-repeats")).toHaveFocus();
    expect(backend.addAnomalyRule).not.toHaveBeenCalled();

    await retype("anomaly-repeats", "25");
    await save(dialog);

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.addAnomalyRule).toHaveBeenCalledExactlyOnceWith({
      rule: { kind: "runawayLoop", repeats: 25 },
      action: "alert",
    });
    await waitFor(() => expect(phrases()).toHaveLength(3));
    expect(phrases()[2]).toBe("The same tool call 25 times in a session — alert");
  });

  it.each<[string, Record<string, string>, Record<string, string>, AnomalyDraft]>([
    [
      "tokenVelocity",
      { "anomaly-tokens-per-minute": "0" },
      { "anomaly-tokens-per-minute": "80000" },
      { rule: { kind: "tokenVelocity", tokensPerMinute: 80000 }, action: "pause" },
    ],
    [
      "errorSpike",
      { "anomaly-errors": "x", "anomaly-spike-minutes": "1441" },
      { "anomaly-errors": "30", "anomaly-spike-minutes": "15" },
      { rule: { kind: "errorSpike", errors: 30, minutes: 15 }, action: "pause" },
    ],
    [
      "longRun",
      { "anomaly-run-minutes": "10081" },
      { "anomaly-run-minutes": "120" },
      { rule: { kind: "longRun", minutes: 120 }, action: "pause" },
    ],
    [
      "sessionCost",
      { "anomaly-usd": "0" },
      { "anomaly-usd": "$2.50" },
      { rule: { kind: "sessionCost", usd: 2.5 }, action: "pause" },
    ],
  ])("adds a %s rule that pauses once its numbers are in range", async (kind, bad, good, draft) => {
    const dialog = await openDialog();
    await userEvent.selectOptions(field("anomaly-kind"), kind);
    await userEvent.click(field("anomaly-action-pause"));
    for (const [testId, text] of Object.entries(bad)) await retype(testId, text);
    await save(dialog);
    for (const testId of Object.keys(bad)) expect(field(testId)).toHaveAttribute("aria-invalid", "true");
    expect(backend.addAnomalyRule).not.toHaveBeenCalled();

    for (const [testId, text] of Object.entries(good)) await retype(testId, text);
    await save(dialog);

    await waitFor(() => expect(backend.addAnomalyRule).toHaveBeenCalledExactlyOnceWith(draft));
  });

  it("shows only the chosen kind's numbers and says what pausing covers for it", async () => {
    await openDialog();
    const numbers = () =>
      screen.queryAllByTestId(/^anomaly-(tokens-per-minute|repeats|errors|spike-minutes|run-minutes|usd)$/);
    const pauseText = () => field("anomaly-action-pause").closest("label")?.textContent ?? "";

    expect(numbers().map((n) => n.dataset.testid)).toEqual(["anomaly-repeats"]);
    expect(pauseText()).toContain("only that session pauses");

    await userEvent.selectOptions(field("anomaly-kind"), "errorSpike");
    expect(numbers().map((n) => n.dataset.testid)).toEqual(["anomaly-errors", "anomaly-spike-minutes"]);
    expect(pauseText()).toContain("Also pause everything");

    await userEvent.selectOptions(field("anomaly-kind"), "sessionCost");
    expect(numbers().map((n) => n.dataset.testid)).toEqual(["anomaly-usd"]);
    expect(pauseText()).toContain("only that session pauses");
  });

  it("shows the engine's refusal as its sentence and keeps the dialog", async () => {
    const dialog = await openDialog();
    backend.addAnomalyRule.mockRejectedValueOnce(
      new BackendError(
        "INVALID_INPUT",
        'anomaly rule "the same tool call 10 times in a session": give positive numbers',
      ),
    );
    await save(dialog);

    expect(await within(dialog).findByTestId("anomaly-form-refused")).toHaveTextContent("give positive numbers");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });
});

describe("AnomalyRulesCard remove and undo", () => {
  it("removes a rule at once and offers Undo, which adds the same rule back", async () => {
    renderCard();
    await screen.findAllByTestId("anomaly-row");

    await userEvent.click(
      screen.getByRole("button", { name: "Remove rule: The same tool call 10 times in a session — alert" }),
    );

    expect(backend.removeAnomalyRule).toHaveBeenCalledExactlyOnceWith(1);
    const snackbar = await screen.findByTestId("anomaly-removed");
    expect(snackbar).toHaveTextContent("Rule removed: The same tool call 10 times in a session");
    await waitFor(() =>
      expect(phrases()).toEqual(["A session costing more than $5.00 — alert and pause that session"]),
    );

    await userEvent.click(within(snackbar).getByRole("button", { name: "Undo" }));

    expect(backend.addAnomalyRule).toHaveBeenCalledExactlyOnceWith({ rule: DEFAULT_ANOMALY.rule, action: "alert" });
    await waitFor(() => expect(phrases()).toHaveLength(2));
    expect(phrases()).toContain("The same tool call 10 times in a session — alert");
    expect(screen.queryByTestId("anomaly-removed")).not.toBeInTheDocument();
  });

  it("shows why a removal or an undo failed", async () => {
    backend.removeAnomalyRule.mockRejectedValueOnce(new BackendError("NOT_FOUND", "anomaly rule 1"));
    renderCard();
    await screen.findAllByTestId("anomaly-row");

    await userEvent.click(screen.getAllByRole("button", { name: /^Remove rule/ })[0]);
    expect(await screen.findByTestId("anomaly-removal-error")).toHaveTextContent("anomaly rule 1");
    expect(screen.queryByTestId("anomaly-removed")).not.toBeInTheDocument();

    backend.addAnomalyRule.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    await userEvent.click(screen.getAllByRole("button", { name: /^Remove rule/ })[1]);
    const snackbar = await screen.findByTestId("anomaly-removed");
    expect(screen.queryByTestId("anomaly-removal-error")).not.toBeInTheDocument();
    await userEvent.click(within(snackbar).getByRole("button", { name: "Undo" }));

    expect(await screen.findByTestId("anomaly-removal-error")).toHaveTextContent("database is locked");
    expect(screen.getByTestId("anomaly-removed")).toBeInTheDocument();
  });
});

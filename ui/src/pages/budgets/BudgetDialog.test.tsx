import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import { AGENT_BUDGET } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { BudgetsPage } from "../BudgetsPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

/** Renders the Budgets page and opens the dialog with `opener` once the list is there. */
async function openDialog(opener: string) {
  renderWithProviders(<BudgetsPage />, { backend, path: "/budgets" });
  await screen.findAllByTestId("budget-row");
  await userEvent.click(screen.getByRole("button", { name: opener }));
  return screen.getByRole("dialog");
}

const field = (testId: string) => screen.getByTestId(testId);

async function retype(testId: string, text: string) {
  await userEvent.clear(field(testId));
  if (text) await userEvent.type(field(testId), text);
}

describe("BudgetDialog creating a budget", () => {
  it("opens focused on the name, checks the form, shows the engine's refusal, then saves and closes", async () => {
    const dialog = await openDialog("New budget");
    expect(dialog).toHaveAccessibleName("New budget");
    expect(field("budget-name")).toHaveFocus();

    // Nothing typed: the limit is missing.
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    expect(within(dialog).getByText("Enter an amount above $0, e.g. 20 or 7.50.")).toBeInTheDocument();
    expect(field("budget-limit")).toHaveAttribute("aria-invalid", "true");
    expect(field("budget-limit")).toHaveAccessibleDescription("Enter an amount above $0, e.g. 20 or 7.50.");
    expect(field("budget-limit")).toHaveFocus();

    // Typing clears that message; an agent scope without a value and a bad threshold are caught.
    await userEvent.type(field("budget-limit"), "20");
    expect(field("budget-limit")).not.toHaveAttribute("aria-invalid");
    await userEvent.selectOptions(field("budget-scope-kind"), "agent");
    await userEvent.type(field("budget-thresholds"), "50, 2000");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    expect(within(dialog).getByText("Say which one this budget is for.")).toBeInTheDocument();
    expect(within(dialog).getByText("Use whole percents from 1 to 1000, separated by commas.")).toBeInTheDocument();
    expect(field("budget-scope-value")).toHaveFocus();
    expect(backend.saveBudget).not.toHaveBeenCalled();

    // The agent is picked from those the ledger knows. Valid for the form, refused by the
    // engine: its sentence is shown and the dialog stays.
    expect(within(field("budget-scope-value")).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose an agent", "main", "research"]);
    await userEvent.selectOptions(field("budget-scope-value"), "main");
    await retype("budget-thresholds", "90, 50");
    backend.saveBudget.mockRejectedValueOnce(
      new BackendError("INVALID_INPUT", "limit 20: give a positive amount in USD, at most 1,000,000,000"),
    );
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    expect(await within(dialog).findByTestId("budget-form-refused")).toHaveTextContent(
      "limit 20: give a positive amount in USD, at most 1,000,000,000",
    );
    expect(screen.getByRole("dialog")).toBeInTheDocument();

    // Saved: the dialog closes and the new budget comes with the board the backend pushes.
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.saveBudget).toHaveBeenLastCalledWith(null, {
      name: "",
      scope: { kind: "agent", value: "main" },
      window: { kind: "day" },
      limitUsd: 20,
      thresholds: [50, 90],
      action: "pause",
      autoResume: true,
    });
    expect(screen.getAllByTestId("budget-row")).toHaveLength(3);
    expect(backend.budgetBoard).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("new-budget")).toHaveFocus();
  });

  it("asks for rolling hours in range and offers auto-resume only for pause budgets", async () => {
    const dialog = await openDialog("New budget");
    await userEvent.type(field("budget-name"), "Burst guard");
    await userEvent.type(field("budget-limit"), "$7.50");
    expect(screen.queryByTestId("budget-hours")).not.toBeInTheDocument();
    await userEvent.selectOptions(field("budget-window-kind"), "rolling");
    expect(field("budget-hours")).toHaveValue("24");
    await retype("budget-hours", "9000");

    expect(field("budget-auto-resume")).toBeEnabled();
    await userEvent.click(within(dialog).getByLabelText(/Alert only/));
    expect(field("budget-auto-resume")).toBeDisabled();
    await userEvent.click(within(dialog).getByLabelText(/Pause at the limit/));
    expect(field("budget-auto-resume")).toBeEnabled();
    expect(field("budget-auto-resume")).toBeChecked();

    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    expect(within(dialog).getByText("Enter a whole number of hours from 1 to 8784.")).toBeInTheDocument();
    await retype("budget-hours", "6");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));

    await waitFor(() => expect(backend.saveBudget).toHaveBeenCalledTimes(1));
    expect(backend.saveBudget).toHaveBeenCalledWith(null, {
      name: "Burst guard",
      scope: { kind: "all" },
      window: { kind: "rolling", hours: 6 },
      limitUsd: 7.5,
      thresholds: [],
      action: "pause",
      autoResume: true,
    });
  });

  it("shows other failures as an error panel and closes on Escape without saving", async () => {
    const dialog = await openDialog("New budget");
    await userEvent.type(field("budget-limit"), "5");
    backend.saveBudget.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create budget" }));
    expect(await within(dialog).findByTestId("budget-form-error")).toHaveTextContent("database is locked");
    expect(within(dialog).queryByTestId("budget-form-refused")).not.toBeInTheDocument();

    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(backend.saveBudget).toHaveBeenCalledTimes(1);
  });
});

describe("BudgetDialog editing a budget", () => {
  it("fills the form from the budget and saves the change under its id", async () => {
    const dialog = await openDialog("Edit Research agent");
    expect(dialog).toHaveAccessibleName("Edit budget");
    expect(field("budget-name")).toHaveValue("Research agent");
    expect(field("budget-scope-kind")).toHaveValue("agent");
    expect(field("budget-scope-value")).toHaveValue("research");
    expect(field("budget-window-kind")).toHaveValue("rolling");
    expect(field("budget-hours")).toHaveValue("6");
    expect(field("budget-limit")).toHaveValue("5");
    expect(field("budget-thresholds")).toHaveValue("80, 120");
    expect(field("budget-action-pause")).toBeChecked();
    expect(field("budget-auto-resume")).toBeChecked();

    await retype("budget-limit", "8");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const { id: _id, ...draft } = AGENT_BUDGET;
    expect(backend.saveBudget).toHaveBeenCalledWith(2, { ...draft, limitUsd: 8 });
  });

  it("turns auto-resume off when the budget becomes alert only", async () => {
    const dialog = await openDialog("Edit Research agent");
    await userEvent.click(field("budget-action-alert"));
    expect(field("budget-auto-resume")).not.toBeChecked();
    await userEvent.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(backend.saveBudget).toHaveBeenCalledTimes(1));
    expect(backend.saveBudget.mock.calls[0]?.[1]).toMatchObject({ action: "alert", autoResume: false });
  });
});

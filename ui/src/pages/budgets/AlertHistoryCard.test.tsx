import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type Alert } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import { ALERTS, BOARD, NOW_MS } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { AlertHistoryCard } from "./AlertHistoryCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderCard() {
  return renderWithProviders(<AlertHistoryCard />, { backend });
}

const alertRows = () => screen.getAllByTestId("alert-row");

const THRESHOLD_80: Alert = {
  id: 12,
  tsMs: NOW_MS,
  kind: "threshold",
  budgetId: 1,
  title: "Daily cap at 80%",
  body: "$16.00 of $20 spent today.",
  delivered: true,
  acknowledged: false,
};

describe("AlertHistoryCard", () => {
  it("lists the alerts newest first with their kind, time, body and an undelivered hint", async () => {
    renderCard();
    expect(screen.getByTestId("alert-history")).toHaveTextContent("Alerts");
    await screen.findAllByTestId("alert-row");

    const [paused, threshold] = alertRows();
    expect(within(paused).getByTestId("alert-kind")).toHaveTextContent("Paused");
    expect(within(paused).getByTestId("alert-kind")).toHaveAttribute("data-status", "error");
    expect(paused).toHaveTextContent("Research agent paused");
    expect(paused).toHaveTextContent("Research agent reached its $5 limit.");
    expect(within(paused).getByTestId("alert-time")).toHaveTextContent("13:45");
    expect(within(paused).getByTestId("alert-undelivered")).toHaveTextContent("Not delivered to the desktop");
    expect(paused).toHaveAttribute("data-acknowledged", "false");

    expect(within(threshold).getByTestId("alert-kind")).toHaveTextContent("Threshold");
    expect(within(threshold).getByTestId("alert-time")).toHaveTextContent("12:05");
    expect(within(threshold).queryByTestId("alert-undelivered")).not.toBeInTheDocument();
    expect(threshold).toHaveTextContent("Acknowledged");
    expect(within(threshold).queryByRole("button", { name: /Acknowledge/ })).not.toBeInTheDocument();
    expect(screen.getByTestId("alert-history")).toHaveTextContent("1 unacknowledged alert");
  });

  it("acknowledges one alert and shows the list as fetched again once the board's count drops", async () => {
    renderCard();
    await screen.findAllByTestId("alert-row");

    await userEvent.click(screen.getByRole("button", { name: "Acknowledge: Research agent paused" }));

    expect(backend.acknowledgeAlerts).toHaveBeenCalledExactlyOnceWith(11);
    await waitFor(() => expect(alertRows()[0]).toHaveAttribute("data-acknowledged", "true"));
    expect(backend.alerts).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("acknowledge-all")).toBeDisabled();
  });

  it("acknowledges every alert at once", async () => {
    backend.setBoard({ ...BOARD, unacknowledgedAlerts: 2 });
    backend.alerts.mockResolvedValueOnce([THRESHOLD_80, ...ALERTS]);
    renderCard();
    await screen.findAllByTestId("alert-row");
    expect(screen.getByTestId("alert-history")).toHaveTextContent("2 unacknowledged alerts");

    await userEvent.click(screen.getByTestId("acknowledge-all"));

    expect(backend.acknowledgeAlerts).toHaveBeenCalledExactlyOnceWith(null);
    await waitFor(() => expect(screen.queryByTestId("acknowledge")).not.toBeInTheDocument());
    expect(alertRows().map((row) => row.dataset.acknowledged)).toEqual(["true", "true"]);
  });

  it("shows why acknowledging failed", async () => {
    backend.acknowledgeAlerts.mockRejectedValueOnce(new BackendError("NOT_FOUND", "alert 11 does not exist"));
    renderCard();
    await screen.findAllByTestId("alert-row");

    await userEvent.click(screen.getByTestId("acknowledge"));

    expect(await screen.findByTestId("acknowledge-error")).toHaveTextContent("alert 11 does not exist");
  });

  it("fetches the list again on alerts-changed", async () => {
    renderCard();
    await screen.findAllByTestId("alert-row");
    backend.alerts.mockResolvedValueOnce([THRESHOLD_80, ...ALERTS]);

    act(() => backend.emitAlertsChanged());

    await waitFor(() => expect(alertRows()).toHaveLength(3));
    expect(alertRows()[0]).toHaveTextContent("Daily cap at 80%");
  });

  it("counts from the board and fetches the list again only when that count changes", async () => {
    renderCard();
    await screen.findAllByTestId("alert-row");
    expect(screen.getByTestId("alert-history")).toHaveTextContent("1 unacknowledged alert");
    expect(backend.alerts).toHaveBeenCalledTimes(1);

    act(() => backend.emitBudgetBoard({ ...BOARD, budgets: [] }));
    expect(backend.alerts).toHaveBeenCalledTimes(1);

    backend.alerts.mockResolvedValueOnce([THRESHOLD_80, ...ALERTS]);
    act(() => backend.emitBudgetBoard({ ...BOARD, unacknowledgedAlerts: 2 }));

    expect(screen.getByTestId("alert-history")).toHaveTextContent("2 unacknowledged alerts");
    await waitFor(() => expect(alertRows()).toHaveLength(3));
    expect(backend.alerts).toHaveBeenCalledTimes(2);
  });

  it("says when there are no alerts, and shows a load failure with Retry", async () => {
    backend.setBoard({ ...BOARD, unacknowledgedAlerts: 0 });
    backend.alerts.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    backend.alerts.mockResolvedValueOnce([]);
    renderCard();
    const panel = await screen.findByTestId("alerts-error");
    expect(panel).toHaveTextContent("database is locked");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findByTestId("alerts-empty")).toHaveTextContent("No alerts yet.");
    expect(screen.getByTestId("acknowledge-all")).toBeDisabled();
  });
});

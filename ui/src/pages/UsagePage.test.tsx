import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BackendError, type UsageView } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { plots } from "../test/fakeUplot";
import { usageView } from "../test/fakeUsage";
import { pending } from "../test/pending";
import { renderApp } from "../test/render";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
  plots.length = 0;
});

const rows = () => screen.getAllByTestId("usage-row");
const lastQuery = () => backend.usage.mock.lastCall![0];

describe("Usage page", () => {
  it("shows the last 30 days by default: figures, a stacked chart with its legend, and the agents", async () => {
    renderApp(backend, "/usage");
    expect(screen.getByTestId("usage-loading")).toBeInTheDocument();
    expect(await screen.findByTestId("usage-cost")).toHaveTextContent("$45.00");
    expect(lastQuery()).toMatchObject({ days: 30, granularity: "day", stack: "model", agent: null, whatIf: null });
    expect(screen.getByTestId("usage-unpriced")).toHaveTextContent("12k");
    expect(screen.getByText("1 model without a price: see Models")).toBeInTheDocument();
    // The chart: two stacks drawn tallest-first as running sums, one bar per day.
    await waitFor(() => expect(plots).not.toHaveLength(0));
    const plot = plots.at(-1)!;
    expect(plot.series.slice(1).map((s) => s.label)).toEqual(["openai/gpt-4o", "anthropic/claude-sonnet-4-5"]);
    expect(plot.data[0]).toHaveLength(30);
    expect(plot.data[1][0]).toBeCloseTo(1.5);
    expect(plot.data[2][0]).toBeCloseTo(1.05);
    const legend = screen.getByTestId("usage-legend");
    expect(legend).toHaveTextContent("anthropic/claude-sonnet-4-5$31.5070%");
    expect(rows().map((r) => r.dataset.key)).toEqual(["main", "research"]);
    expect(rows()[0]).toHaveTextContent("80%");
  });

  it("changes window, granularity, stack and measure", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    await userEvent.click(screen.getByTestId("usage-window-today"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ days: 1, granularity: "hour" }));
    await waitFor(() => expect(plots.at(-1)!.data[0]).toHaveLength(24));
    await userEvent.click(screen.getByTestId("usage-window-d90"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ days: 90, granularity: "week" }));
    expect(screen.queryByTestId("usage-every-hour")).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByTestId("usage-stack"), "channel");
    await waitFor(() => expect(lastQuery()).toMatchObject({ stack: "channel" }));
    await waitFor(() => expect(screen.getByTestId("usage-legend")).toHaveTextContent("telegram"));
    await userEvent.click(screen.getByTestId("usage-metric-tokens"));
    await waitFor(() => expect(screen.getByTestId("usage-readout")).toHaveTextContent("Whole window: 13.5M tokens"));
    expect(backend.usage).toHaveBeenCalledTimes(4);
  });

  it("takes a custom window of two dates, refusing one that ends before it starts", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    await userEvent.click(screen.getByTestId("usage-window-custom"));
    expect(screen.getByTestId("usage-pick-dates")).toBeInTheDocument();
    const since = screen.getByTestId("usage-since");
    const until = screen.getByTestId("usage-until");
    await userEvent.type(since, "2026-11-20");
    await userEvent.type(until, "2026-11-10");
    expect(screen.getByText("The first day is after the last.")).toBeInTheDocument();
    expect(screen.getByTestId("usage-custom-apply")).toBeDisabled();
    await userEvent.clear(until);
    await userEvent.type(until, "2026-11-25");
    await userEvent.click(screen.getByTestId("usage-custom-apply"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ days: null, since: "2026-11-20", until: "2026-11-25", granularity: "day" }));
  });

  it("filters to one agent and keeps the others to choose from", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    await userEvent.selectOptions(screen.getByTestId("usage-agent"), "research");
    await waitFor(() => expect(lastQuery()).toMatchObject({ agent: "research" }));
    await waitFor(() => expect(rows().map((r) => r.dataset.key)).toEqual(["research"]));
    const agentChoices = within(screen.getByTestId("usage-agent")).getAllByRole("option").map((o) => o.textContent);
    expect(agentChoices).toEqual(["All agents", "main", "research"]);
  });

  it("switches tables, sorts any column, links sessions and explains unpriced models", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    await userEvent.click(screen.getByTestId("usage-table-models"));
    const mystery = rows().find((r) => r.dataset.key === "local/mystery-7b")!;
    expect(within(mystery).getByTestId("usage-unpriced-reason")).toHaveTextContent("12,000 tokens unpriced. No price for local/mystery-7b");
    expect(rows()[0]).toHaveTextContent("Priced by the bundled LiteLLM price map");
    await userEvent.click(screen.getByTestId("usage-sort-name"));
    expect(rows().map((r) => r.dataset.key)).toEqual(["anthropic/claude-sonnet-4-5", "local/mystery-7b", "openai/gpt-4o"]);
    await userEvent.click(screen.getByTestId("usage-sort-tokens"));
    expect(rows()[0].dataset.key).toBe("anthropic/claude-sonnet-4-5");
    await userEvent.click(screen.getByTestId("usage-sort-tokens"));
    expect(rows()[0].dataset.key).toBe("local/mystery-7b");
    await userEvent.click(screen.getByTestId("usage-table-sessions"));
    const sub = rows().find((r) => r.dataset.key === "agent:main:subagent:7f1")!;
    expect(sub).toHaveTextContent("sub-agent of main");
    expect(sub).toHaveTextContent("main · Sub-agent");
    await userEvent.click(within(sub).getByRole("link"));
    expect(await screen.findByTestId("page-sessions")).toBeInTheDocument();
  });

  it("prices the same usage on another model, refusing one the price book does not have", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    const input = screen.getByTestId("what-if-input");
    await userEvent.click(input);
    await waitFor(() => expect(backend.priceModels).toHaveBeenCalled());
    await userEvent.type(input, "no-such-model");
    await userEvent.click(screen.getByTestId("what-if-apply"));
    expect(screen.getByTestId("what-if-error")).toHaveTextContent("no-such-model is not in the price book");
    await userEvent.clear(input);
    await userEvent.type(input, "gpt-4o-mini");
    await userEvent.click(screen.getByTestId("what-if-apply"));
    expect(await screen.findByTestId("usage-what-if")).toHaveTextContent("$22.50");
    expect(screen.getByText("−50% against what it cost")).toBeInTheDocument();
    expect(lastQuery()).toMatchObject({ whatIf: "gpt-4o-mini" });
    expect(screen.getByTestId("usage-sort-whatIf")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("what-if-clear"));
    await waitFor(() => expect(screen.queryByTestId("usage-what-if")).not.toBeInTheDocument());
  });

  it("says plainly when there is nothing in the window, and when there is nothing at all", async () => {
    const empty = (view: UsageView): UsageView => ({ ...view, periods: [], series: [], agents: [], models: [], providers: [], sessions: [], cronJobs: [] });
    backend.usage.mockImplementation((q) => Promise.resolve(empty(usageView(q))));
    renderApp(backend, "/usage?window=d7");
    expect(await screen.findByTestId("usage-empty")).toHaveTextContent("No model calls in this window. Try a longer one, or All time.");
    expect(screen.getByTestId("usage-table-empty")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("usage-window-all"));
    await waitFor(() => expect(screen.getByTestId("usage-empty")).toHaveTextContent("No model calls recorded yet."));
  });

  it("shows a failure with Retry, and offers to drop a what-if the backend refused", async () => {
    backend.usage.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "the ledger is locked"));
    renderApp(backend, "/usage?whatIf=gone%2Fmodel");
    expect(await screen.findByTestId("usage-error")).toHaveTextContent("the ledger is locked");
    await userEvent.click(screen.getByTestId("usage-error-clear-what-if"));
    expect(await screen.findByTestId("usage-cost")).toBeInTheDocument();
    expect(lastQuery()).toMatchObject({ whatIf: null });
  });

  it("keeps what it shows while a live refresh runs, at most one per burst of calls", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderApp(backend, "/usage");
      await screen.findByTestId("usage-cost");
      const answer = pending<UsageView>();
      backend.usage.mockReturnValueOnce(answer.promise);
      act(() => {
        for (let i = 0; i < 5; i++) backend.emitSpendUpdated(backend.spendSummary.mock.results[0]?.value as never);
      });
      await act(() => vi.advanceTimersByTimeAsync(2100));
      expect(backend.usage).toHaveBeenCalledTimes(2);
      expect(screen.getByTestId("usage-cost")).toHaveTextContent("$45.00");
      const fresh = usageView(lastQuery());
      await answer.resolve({ ...fresh, totals: { ...fresh.totals, totals: { ...fresh.totals.totals, costUsd: 46 } } });
      await waitFor(() => expect(screen.getByTestId("usage-cost")).toHaveTextContent("$46.00"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("exports the tables as CSV through the save dialog", async () => {
    renderApp(backend, "/usage");
    await screen.findByTestId("usage-cost");
    await userEvent.click(screen.getByTestId("usage-export-csv"));
    expect(await screen.findByTestId("usage-export-saved")).toHaveTextContent("Saved clawtower-usage-last-30-days.csv.");
    expect(backend.usageExport).toHaveBeenCalledWith(expect.objectContaining({ days: 30 }), "csv");
    expect(backend.saveFile).toHaveBeenCalledWith("clawtower-usage-last-30-days.csv", expect.stringContaining("table,key"), "csv");
  });
});

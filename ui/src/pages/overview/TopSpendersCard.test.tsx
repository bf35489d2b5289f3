import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type TopSpend } from "../../backend";
import { createFakeBackend, type FakeBackend } from "../../test/fakeBackend";
import { SUMMARY, TOP_SPEND, TOP_SPEND_EMPTY } from "../../test/fixtures";
import { pending } from "../../test/pending";
import { renderWithProviders } from "../../test/render";
import { TopSpendersCard } from "./TopSpendersCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderCard() {
  return renderWithProviders(<TopSpendersCard />, { backend });
}

/** The entries of one list as [shown key, cost, calls] rows. */
function rows(listTestId: string): string[][] {
  return within(screen.getByTestId(listTestId))
    .getAllByTestId("top-entry")
    .map((entry) =>
      ["top-entry-key", "top-entry-cost", "top-entry-calls"].map(
        (id) => within(entry).getByTestId(id).textContent ?? "",
      ),
    );
}

describe("TopSpendersCard", () => {
  it("shows a skeleton, then today's agents, models and sessions in order with cost and calls", async () => {
    renderCard();
    expect(screen.getByTestId("top-spenders")).toHaveTextContent("Top spenders");
    expect(screen.getByTestId("top-period-day")).toHaveAttribute("aria-checked", "true");
    expect(screen.queryByTestId("top-entry")).not.toBeInTheDocument();
    expect(backend.topSpend).toHaveBeenCalledWith("day");

    await screen.findAllByTestId("top-entry");
    expect(rows("top-agents")).toEqual([
      ["main", "$1.20", "30 calls"],
      ["research", "$0.30", "12 calls"],
    ]);
    expect(rows("top-models")).toEqual([
      ["anthropic/claude-sonnet-4-5", "$1.25", "28 calls"],
      ["openai/gpt-5-mini", "$0.25", "13 calls"],
      ["ollama/llama3", "$0.00", "1 call"],
    ]);
    expect(rows("top-sessions")).toEqual([
      ["main · main", "$0.90", "20 calls"],
      ["main · sub-agent 7f1c…", "$0.45", "1 call"],
      ["research · cron nightly-digest", "$0.15", "21 calls"],
    ]);
  });

  it("gives the full session key as tooltip, flags unpriced tokens and scales bars to the top entry", async () => {
    renderCard();
    const sessions = await screen.findByTestId("top-sessions");
    const [main, subagent] = within(sessions).getAllByTestId("top-entry");
    expect(within(subagent).getByTestId("top-entry-key")).toHaveAttribute("title", TOP_SPEND.sessions[1].key);
    expect(within(subagent).getByTestId("top-entry-unpriced")).toHaveAttribute(
      "title",
      expect.stringContaining("5,000 tokens") as string,
    );
    expect(within(main).queryByTestId("top-entry-unpriced")).not.toBeInTheDocument();

    const bars = [...sessions.querySelectorAll<HTMLElement>(".top-entry-bar-fill")].map((bar) => bar.style.width);
    expect(bars).toEqual(["100%", "50%", "16.7%"]);
  });

  it("fetches the chosen period, showing the skeleton instead of the previous period's entries", async () => {
    renderCard();
    await screen.findAllByTestId("top-entry");
    const week = pending<TopSpend>();
    backend.topSpend.mockReturnValueOnce(week.promise);

    await userEvent.click(screen.getByTestId("top-period-week"));

    expect(backend.topSpend).toHaveBeenLastCalledWith("week");
    expect(screen.getByTestId("top-period-week")).toHaveAttribute("aria-checked", "true");
    expect(screen.queryByTestId("top-entry")).not.toBeInTheDocument();

    await week.resolve({ ...TOP_SPEND, period: "week", agents: [{ ...TOP_SPEND.agents[0], costUsd: 9 }] });
    expect(rows("top-agents")).toEqual([["main", "$9.00", "30 calls"]]);
  });

  it("drops an answer for a period the user already left", async () => {
    renderCard();
    await screen.findAllByTestId("top-entry");
    const week = pending<TopSpend>();
    backend.topSpend.mockReturnValueOnce(week.promise);

    await userEvent.click(screen.getByTestId("top-period-week"));
    await userEvent.click(screen.getByTestId("top-period-month"));
    await screen.findAllByTestId("top-entry");
    await week.resolve({ ...TOP_SPEND, period: "week", agents: [] });

    expect(backend.topSpend).toHaveBeenLastCalledWith("month");
    expect(rows("top-agents")).toHaveLength(2);
  });

  it("keeps the newest refresh when two live updates are answered out of order", async () => {
    renderCard();
    await screen.findAllByTestId("top-entry");
    const first = pending<TopSpend>();
    const second = pending<TopSpend>();
    backend.topSpend.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);

    act(() => backend.emitSpendUpdated(SUMMARY));
    act(() => backend.emitSpendUpdated(SUMMARY));
    await second.resolve({ ...TOP_SPEND, agents: [{ ...TOP_SPEND.agents[0], costUsd: 2 }] });
    await first.resolve({ ...TOP_SPEND, agents: [{ ...TOP_SPEND.agents[0], costUsd: 1.5 }] });

    expect(rows("top-agents")).toEqual([["main", "$2.00", "30 calls"]]);
  });

  it("says so when the period has no model calls", async () => {
    backend.topSpend.mockImplementation((period) => Promise.resolve({ ...TOP_SPEND_EMPTY, period }));
    renderCard();
    expect(await screen.findByTestId("top-empty")).toHaveTextContent("No model calls today yet.");

    await userEvent.click(screen.getByTestId("top-period-week"));
    expect(await screen.findByTestId("top-empty")).toHaveTextContent("No model calls this week yet.");
    await userEvent.click(screen.getByTestId("top-period-month"));
    expect(await screen.findByTestId("top-empty")).toHaveTextContent("No model calls this month yet.");
    expect(screen.queryByTestId("top-agents")).not.toBeInTheDocument();
  });

  it("shows the error with Retry, which fetches the same period again", async () => {
    backend.topSpend.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    renderCard();

    const panel = await screen.findByTestId("top-spend-error");
    expect(panel).toHaveTextContent("STORE_UNAVAILABLE");
    expect(panel).toHaveTextContent("database is locked");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findAllByTestId("top-entry")).not.toHaveLength(0);
    expect(backend.topSpend).toHaveBeenCalledTimes(2);
    expect(backend.topSpend).toHaveBeenLastCalledWith("day");
    expect(screen.queryByTestId("top-spend-error")).not.toBeInTheDocument();
  });

  it("refreshes the current period in place on spend-updated and stops listening on unmount", async () => {
    const { unmount } = renderCard();
    await userEvent.click(screen.getByTestId("top-period-month"));
    await screen.findAllByTestId("top-entry");
    const refreshed = pending<TopSpend>();
    backend.topSpend.mockReturnValueOnce(refreshed.promise);

    act(() => backend.emitSpendUpdated({ ...SUMMARY, todayUsd: 3 }));

    expect(backend.topSpend).toHaveBeenLastCalledWith("month");
    expect(rows("top-agents")).toHaveLength(2); // the current entries stay while refreshing
    await refreshed.resolve({ ...TOP_SPEND, period: "month", agents: [{ ...TOP_SPEND.agents[1], costUsd: 3 }] });
    expect(rows("top-agents")).toEqual([["research", "$3.00", "12 calls"]]);

    unmount();
    expect(backend.listenerCount()).toBe(0);
  });
});

import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ROUTES } from "./routes";
import { createFakeBackend } from "./test/fakeBackend";
import { BOARD } from "./test/fixtures";
import { renderApp } from "./test/render";

describe("App navigation", () => {
  it("has a nav link for every page and renders each page with its title", async () => {
    renderApp(createFakeBackend());
    expect(screen.getByText("Clawtower")).toBeInTheDocument();
    expect(await screen.findByTestId("page-overview")).toBeInTheDocument();

    for (const route of ROUTES) {
      await userEvent.click(screen.getByTestId(`nav-${route.name}`));
      const page = await screen.findByTestId(`page-${route.name}`);
      expect(page).toBeInTheDocument();
      expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(route.title);
      expect(screen.getByTestId(`nav-${route.name}`)).toHaveAttribute("aria-current", "page");
      if (route.comingSoon) {
        const placeholder = screen.getByTestId("coming-soon");
        expect(placeholder).toHaveTextContent(route.comingSoon.description);
        // It says plainly that the page is not built, and lists the plan without ticks.
        expect(placeholder).toHaveTextContent("Not built yet");
        expect(placeholder).toHaveTextContent("Planned for this page:");
        expect(screen.getByTestId(`nav-soon-${route.name}`)).toHaveTextContent("not built yet");
      } else {
        expect(screen.queryByTestId(`nav-soon-${route.name}`)).not.toBeInTheDocument();
      }
    }
  });

  it("sends unknown paths to the Overview", async () => {
    renderApp(createFakeBackend(), "/nope");
    expect(await screen.findByTestId("page-overview")).toBeInTheDocument();
  });
});

describe("Unacknowledged alerts badge", () => {
  it("counts unacknowledged alerts on the Budgets entry from the live board, cleared by acknowledging", async () => {
    const backend = createFakeBackend();
    renderApp(backend);
    const badge = await screen.findByTestId("nav-badge-budgets");
    expect(badge).toHaveTextContent(/^1 \(1 unacknowledged alert\)$/);
    expect(screen.getByTestId("nav-budgets")).toHaveAccessibleName("Budgets (1 unacknowledged alert)");

    act(() => backend.emitBudgetBoard({ ...BOARD, unacknowledgedAlerts: 2 }));
    expect(screen.getByTestId("nav-badge-budgets")).toHaveTextContent(/^2 \(2 unacknowledged alerts\)$/);
    // The alert list is only fetched where it is shown.
    expect(backend.alerts).not.toHaveBeenCalled();

    await userEvent.click(screen.getByTestId("nav-budgets"));
    await userEvent.click(within(await screen.findByTestId("alert-history")).getByTestId("acknowledge-all"));

    await waitFor(() => expect(screen.queryByTestId("nav-badge-budgets")).not.toBeInTheDocument());
    expect(backend.acknowledgeAlerts).toHaveBeenCalledWith(null);
  });
});

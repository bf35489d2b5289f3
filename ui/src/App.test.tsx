import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ROUTES } from "./routes";
import { createFakeBackend } from "./test/fakeBackend";
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
        expect(screen.getByTestId("coming-soon")).toHaveTextContent(route.comingSoon.description);
      }
    }
  });

  it("sends unknown paths to the Overview", async () => {
    renderApp(createFakeBackend(), "/nope");
    expect(await screen.findByTestId("page-overview")).toBeInTheDocument();
  });
});

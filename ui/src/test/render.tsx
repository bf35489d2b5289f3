import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";
import { App } from "../App";
import { BackendProvider, type Backend } from "../backend";
import { BudgetBoardProvider } from "../board/BudgetBoardProvider";
import { ThemeProvider } from "../theme/ThemeProvider";

/** Renders `ui` with the app's providers around it (backend, theme, budget board, router at `path`). */
export function renderWithProviders(ui: ReactElement, { backend, path = "/" }: { backend: Backend; path?: string }) {
  return render(
    <BackendProvider backend={backend}>
      <ThemeProvider>
        <BudgetBoardProvider>
          <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
        </BudgetBoardProvider>
      </ThemeProvider>
    </BackendProvider>,
  );
}

/** Renders the whole app at `path`. */
export function renderApp(backend: Backend, path = "/") {
  return renderWithProviders(<App />, { backend, path });
}

import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";
import { AlertsProvider } from "../alerts/AlertsProvider";
import { App } from "../App";
import { BackendProvider, type Backend } from "../backend";
import { ThemeProvider } from "../theme/ThemeProvider";

/** Renders `ui` with the app's providers around it (backend, theme, alerts, router at `path`). */
export function renderWithProviders(ui: ReactElement, { backend, path = "/" }: { backend: Backend; path?: string }) {
  return render(
    <BackendProvider backend={backend}>
      <ThemeProvider>
        <AlertsProvider>
          <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
        </AlertsProvider>
      </ThemeProvider>
    </BackendProvider>,
  );
}

/** Renders the whole app at `path`. */
export function renderApp(backend: Backend, path = "/") {
  return renderWithProviders(<App />, { backend, path });
}

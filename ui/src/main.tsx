import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { HashRouter } from "react-router-dom";
import { App } from "./App";
import { BackendProvider, getBackend } from "./backend";
import { BudgetBoardProvider } from "./board/BudgetBoardProvider";
import { ThemeProvider } from "./theme/ThemeProvider";
import "./theme/tokens.css";
import "./theme/base.css";

// Create the backend before the router mounts: the HTTP transport strips `#token=…` from the
// address bar, and HashRouter owns the fragment afterwards.
const backend = getBackend();

const container = document.getElementById("root");
if (!container) throw new Error("Missing #root element");

createRoot(container).render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <ThemeProvider>
        <BudgetBoardProvider>
          <HashRouter>
            <App />
          </HashRouter>
        </BudgetBoardProvider>
      </ThemeProvider>
    </BackendProvider>
  </StrictMode>,
);

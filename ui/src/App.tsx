import type { ReactElement } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { AppShell } from "./components/AppShell";
import { AgentsPage } from "./pages/AgentsPage";
import { BudgetsPage } from "./pages/BudgetsPage";
import { ComingSoonPage } from "./pages/ComingSoonPage";
import { CronsPage } from "./pages/CronsPage";
import { OverviewPage } from "./pages/OverviewPage";
import { RouterPage } from "./pages/RouterPage";
import { SessionsPage } from "./pages/SessionsPage";
import { SettingsPage } from "./pages/SettingsPage";
import { UsagePage } from "./pages/UsagePage";
import { ROUTES, type RouteDef } from "./routes";

const BUILT_PAGES: Record<string, () => ReactElement> = {
  overview: () => <OverviewPage />,
  sessions: () => <SessionsPage />,
  usage: () => <UsagePage />,
  budgets: () => <BudgetsPage />,
  router: () => <RouterPage />,
  agents: () => <AgentsPage />,
  crons: () => <CronsPage />,
  settings: () => <SettingsPage />,
};

function pageFor(route: RouteDef): ReactElement {
  return BUILT_PAGES[route.name]?.() ?? <ComingSoonPage route={route} />;
}

/** The app inside its router: the shell and one route per page (unknown paths go to Overview). */
export function App() {
  return (
    <AppShell>
      <Routes>
        {ROUTES.map((route) => (
          <Route key={route.name} path={route.path} element={pageFor(route)} />
        ))}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </AppShell>
  );
}

import { NavLink } from "react-router-dom";
import { useBudgetBoard } from "../board/BudgetBoardContext";
import { plural } from "../format/number";
import { ROUTES, type RouteDef, type RouteGroup } from "../routes";
import { Icon } from "./Icon";
import { Logo } from "./Logo";
import "./Sidebar.css";

const GROUPS: { id: RouteGroup; label: string }[] = [
  { id: "monitor", label: "Monitor" },
  { id: "control", label: "Control" },
  { id: "system", label: "System" },
];

/** A count next to a nav entry (e.g. unacknowledged alerts), with its meaning for screen readers. */
function NavBadge({ count, what, testId }: { count: number; what: string; testId: string }) {
  const text = plural(count, what);
  return (
    <span className="nav-badge num" title={text} data-testid={testId}>
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="visually-hidden">{` (${text})`}</span>
    </span>
  );
}

function NavItem({ route, alerts = 0 }: { route: RouteDef; alerts?: number }) {
  return (
    <li>
      <NavLink
        to={route.path}
        end={route.path === "/"}
        className={({ isActive }) => (isActive ? "nav-link nav-link-active" : "nav-link")}
        data-testid={`nav-${route.name}`}
      >
        <Icon name={route.icon} className="nav-icon" />
        <span>{route.title}</span>
        {alerts > 0 && <NavBadge count={alerts} what="unacknowledged alert" testId={`nav-badge-${route.name}`} />}
        {route.comingSoon && (
          <span className="nav-soon" data-testid={`nav-soon-${route.name}`}>
            not built yet
          </span>
        )}
      </NavLink>
    </li>
  );
}

/** The page whose entry shows the number of unacknowledged alerts (it lists them). */
const ALERTS_ROUTE = "budgets";

/**
 * The app's left sidebar: brand, grouped navigation (Budgets with the number of unacknowledged
 * alerts, from the live budget board), Settings pinned at the bottom.
 */
export function Sidebar() {
  const settings = ROUTES.filter((r) => r.name === "settings");
  const { state } = useBudgetBoard();
  const unacknowledged = state.status === "ready" ? state.data.unacknowledgedAlerts : 0;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar-brand">
        <Logo />
        <span className="sidebar-name">Clawtower</span>
      </div>
      <div className="sidebar-groups">
        {GROUPS.map((group) => (
          <div className="sidebar-group" key={group.id}>
            <div className="sidebar-group-label">{group.label}</div>
            <ul>
              {ROUTES.filter((r) => r.group === group.id && r.name !== "settings").map((route) => (
                <NavItem key={route.name} route={route} alerts={route.name === ALERTS_ROUTE ? unacknowledged : 0} />
              ))}
            </ul>
          </div>
        ))}
      </div>
      <ul className="sidebar-footer">
        {settings.map((route) => (
          <NavItem key={route.name} route={route} />
        ))}
      </ul>
    </nav>
  );
}

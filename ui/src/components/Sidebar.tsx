import { NavLink } from "react-router-dom";
import { ROUTES, type RouteDef, type RouteGroup } from "../routes";
import { Icon } from "./Icon";
import { Logo } from "./Logo";
import "./Sidebar.css";

const GROUPS: { id: RouteGroup; label: string }[] = [
  { id: "monitor", label: "Monitor" },
  { id: "control", label: "Control" },
  { id: "system", label: "System" },
];

function NavItem({ route }: { route: RouteDef }) {
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
      </NavLink>
    </li>
  );
}

/** The app's left sidebar: brand, grouped navigation, Settings pinned at the bottom. */
export function Sidebar() {
  const settings = ROUTES.filter((r) => r.name === "settings");
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
                <NavItem key={route.name} route={route} />
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

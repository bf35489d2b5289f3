import type { IconName } from "./components/Icon";

/** Sidebar section a page belongs to. */
export type RouteGroup = "monitor" | "control" | "system";

/** One page of the app: its URL, navigation entry and, for unbuilt pages, what it will show. */
export interface RouteDef {
  /** Used in test ids: `nav-<name>`, `page-<name>`. */
  name: string;
  path: string;
  title: string;
  icon: IconName;
  group: RouteGroup;
  /** One line under the page title. */
  summary: string;
  /** Present for pages that are not built yet. */
  comingSoon?: { description: string; features: string[] };
}

/** Every page, in sidebar order (Settings is pinned to the bottom of the sidebar). */
export const ROUTES: readonly RouteDef[] = [
  {
    name: "overview",
    path: "/",
    title: "Overview",
    icon: "overview",
    group: "monitor",
    summary: "What your OpenClaw agents are spending, live.",
  },
  {
    name: "sessions",
    path: "/sessions",
    title: "Sessions",
    icon: "sessions",
    group: "monitor",
    summary: "Every agent session: what it did, live, and what it cost.",
  },
  {
    name: "usage",
    path: "/usage",
    title: "Usage",
    icon: "usage",
    group: "monitor",
    summary: "Where the money went: spend and tokens over time, per agent, model, provider, session and cron job.",
  },
  {
    name: "budgets",
    path: "/budgets",
    title: "Budgets",
    icon: "budgets",
    group: "control",
    summary: "Spending limits with live gauges, pauses and alerts.",
  },
  {
    name: "router",
    path: "/router",
    title: "Router",
    icon: "router",
    group: "control",
    summary: "A local model router in front of your providers.",
  },
  {
    name: "agents",
    path: "/agents",
    title: "Agents",
    icon: "agents",
    group: "control",
    summary: "Your OpenClaw agents and their lifecycle.",
  },
  {
    name: "crons",
    path: "/crons",
    title: "Crons",
    icon: "crons",
    group: "control",
    summary: "Scheduled OpenClaw jobs.",
  },
  {
    name: "logs",
    path: "/logs",
    title: "Logs",
    icon: "logs",
    group: "system",
    summary: "The OpenClaw gateway's logs.",
    comingSoon: {
      description: "Live OpenClaw gateway logs, without a terminal.",
      features: [
        "The gateway log streamed as it is written",
        "Filters by level, agent and text",
        "Pause, scroll back and copy lines",
      ],
    },
  },
  {
    name: "health",
    path: "/health",
    title: "Health",
    icon: "health",
    group: "system",
    summary: "Is everything Clawtower depends on working?",
    comingSoon: {
      description: "The state of everything Clawtower relies on to count your spend correctly.",
      features: [
        "Gateway connection status and reconnects",
        "Event lag between the gateway and the ledger",
        "Disk usage of the ledger and of OpenClaw's state directory",
      ],
    },
  },
  {
    name: "settings",
    path: "/settings",
    title: "Settings",
    icon: "settings",
    group: "system",
    summary: "Appearance, startup and information about this install.",
  },
];

/** The route called `name`; throws on a typo so a page can never render without its route. */
export function routeByName(name: string): RouteDef {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`Unknown route "${name}"`);
  return route;
}

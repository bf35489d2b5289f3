import { Page } from "../components/Page";
import { useSpendSummary } from "../hooks/useSpendSummary";
import { routeByName } from "../routes";
import { GatewaysCard } from "./overview/GatewaysCard";
import { OpenClawCard } from "./overview/OpenClawCard";
import { PausedStrip } from "./overview/PausedStrip";
import { SpendCards } from "./overview/SpendCards";
import { SpendMeta } from "./overview/SpendMeta";
import { TopSpendersCard } from "./overview/TopSpendersCard";

const ROUTE = routeByName("overview");

/**
 * The home page: a notice while something is paused, today / week / month spend and top
 * spenders, live, the gateways Clawtower follows (live, with add, credentials and remove), and
 * what Clawtower found of OpenClaw.
 */
export function OverviewPage() {
  const { state, reload } = useSpendSummary();
  return (
    <Page route={ROUTE} actions={state.status === "ready" ? <SpendMeta summary={state.data} /> : undefined}>
      <PausedStrip />
      <SpendCards state={state} onRetry={reload} />
      <TopSpendersCard />
      <GatewaysCard />
      <OpenClawCard />
    </Page>
  );
}

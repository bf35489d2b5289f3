import { Page } from "../components/Page";
import { routeByName } from "../routes";
import { CronsCard } from "./crons/CronsCard";

const ROUTE = routeByName("crons");

/** Crons: every OpenClaw cron job, its schedule in words and last outcome, and its runs with their cost. */
export function CronsPage() {
  return (
    <Page route={ROUTE}>
      <CronsCard />
    </Page>
  );
}

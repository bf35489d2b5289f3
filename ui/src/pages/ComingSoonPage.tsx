import { ComingSoon } from "../components/ComingSoon";
import { Page } from "../components/Page";
import type { RouteDef } from "../routes";

/** A page that is not built yet: its header and a panel describing what it will show. */
export function ComingSoonPage({ route }: { route: RouteDef }) {
  return (
    <Page route={route}>
      {route.comingSoon && (
        <ComingSoon icon={route.icon} description={route.comingSoon.description} features={route.comingSoon.features} />
      )}
    </Page>
  );
}

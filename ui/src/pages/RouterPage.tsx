import { useCallback } from "react";
import { useBackend } from "../backend";
import { Page } from "../components/Page";
import { useAsync } from "../hooks/useAsync";
import { routeByName } from "../routes";
import { OpenClawRoutingCard } from "./router/OpenClawRoutingCard";
import { RouterActivityCard } from "./router/RouterActivityCard";
import { RouterKeysCard } from "./router/RouterKeysCard";
import { RouterStatusCard } from "./router/RouterStatusCard";

const ROUTE = routeByName("router");

/**
 * Router: whether the model router runs and where agents send their calls, each provider's
 * health (disabled and why, skipped after failures), OpenClaw routed through it (or not), the
 * keys (New key, shown once; Revoke), and the activity (spend per provider and key, latest calls).
 */
export function RouterPage() {
  const backend = useBackend();
  const router = useAsync(useCallback(() => backend.routerStatus(), [backend]));
  const endpoint = router.state.status === "ready" ? router.state.data.endpoint : null;
  return (
    <Page route={ROUTE}>
      <RouterStatusCard router={router} />
      <OpenClawRoutingCard routerRunning={endpoint !== null} />
      <RouterKeysCard endpoint={endpoint} />
      <RouterActivityCard />
    </Page>
  );
}

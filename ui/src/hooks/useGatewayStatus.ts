import { useCallback } from "react";
import { useBackend, type GatewayStatus } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";
import { useBackendEvent, type Subscribe } from "./useBackendEvent";

const subscribe: Subscribe<GatewayStatus> = (backend, listener) => backend.onGatewayStatus(listener);

/**
 * The gateway connection, fetched once on mount and kept live through `gateway-status-changed`
 * events (an event arriving before the first answer wins over it).
 */
export function useGatewayStatus(): AsyncResult<GatewayStatus> {
  const backend = useBackend();
  const load = useCallback(() => backend.gatewayStatus(), [backend]);
  const result = useAsync(load);
  useBackendEvent(subscribe, result.setData, "Live gateway status");
  return result;
}

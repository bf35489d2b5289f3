import { useCallback } from "react";
import { useBackend, type GatewayStatus } from "../backend";
import { useAsync, type AsyncResult } from "./useAsync";
import { useBackendEvent, type Subscribe } from "./useBackendEvent";

const subscribe: Subscribe<GatewayStatus[]> = (backend, listener) => backend.onGateways(listener);

/**
 * Every followed gateway with its connection state, fetched once on mount and kept live through
 * `gateways-changed` events (an event arriving before the first answer wins over it).
 */
export function useGateways(): AsyncResult<GatewayStatus[]> {
  const backend = useBackend();
  const load = useCallback(() => backend.gateways(), [backend]);
  const result = useAsync(load);
  useBackendEvent(subscribe, result.setData, "Live gateway list");
  return result;
}

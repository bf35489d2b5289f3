import { useCallback } from "react";
import { useBackend, type GatewayEntry, type GatewayStatus } from "../backend";
import { useUndoableRemoval, type UndoableRemoval } from "./useUndoableRemoval";

/**
 * Remove with undo for gateways added by URL: stops following one, and Undo restores it (the
 * engine keeps it for an hour). Each answer (every gateway) goes to `onList`, so the list follows
 * even before `gateways-changed` arrives. Pass a stable `onList`.
 */
export function useGatewayRemoval(onList: (all: GatewayStatus[]) => void): UndoableRemoval<GatewayEntry> {
  const backend = useBackend();
  const remove = useCallback(
    (gateway: GatewayEntry) =>
      backend.removeGateway(gateway.id).then((all) => {
        onList(all);
        return gateway;
      }),
    [backend, onList],
  );
  const restore = useCallback(
    (gateway: GatewayEntry) =>
      backend.restoreGateway(gateway.id).then((all) => {
        onList(all);
        return all;
      }),
    [backend, onList],
  );
  return useUndoableRemoval(remove, restore);
}

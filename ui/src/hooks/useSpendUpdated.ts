import type { SpendSummary } from "../backend";
import { useBackendEvent, type Subscribe } from "./useBackendEvent";

const subscribe: Subscribe<SpendSummary> = (backend, listener) => backend.onSpendUpdated(listener);

/**
 * Calls `listener` on every `spend-updated` event while the component is mounted. Pass a stable
 * function (a state setter or a `useCallback`): a new one subscribes again.
 */
export function useSpendUpdated(listener: (summary: SpendSummary) => void): void {
  useBackendEvent(subscribe, listener, "Live spend updates");
}

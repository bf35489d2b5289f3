import { vi } from "vitest";
import type { Backend, GatewayStatus, Settings, SpendPeriod, SpendSummary, Theme } from "../backend";
import { APP_INFO, DOCTOR, GATEWAY_LIVE, SETTINGS, SUMMARY, TOP_SPEND } from "./fixtures";

/** A set of event listeners, with a `vi.fn` subscribing to it and a way to deliver an event. */
function fakeEvent<T>() {
  const listeners = new Set<(payload: T) => void>();
  return {
    subscribe: vi.fn((cb: (payload: T) => void) => {
      listeners.add(cb);
      return Promise.resolve(() => {
        listeners.delete(cb);
      });
    }),
    emit: (payload: T) => {
      for (const listener of [...listeners]) listener(payload);
    },
    count: () => listeners.size,
  };
}

/** A Backend made of `vi.fn`s answering with the fixtures, plus a way to push live events. */
export function createFakeBackend() {
  const spendUpdated = fakeEvent<SpendSummary>();
  const gatewayStatusChanged = fakeEvent<GatewayStatus>();
  let settings: Settings = { ...SETTINGS };
  return {
    kind: "tauri" as const,
    appInfo: vi.fn(() => Promise.resolve(APP_INFO)),
    spendSummary: vi.fn(() => Promise.resolve(SUMMARY)),
    topSpend: vi.fn((period: SpendPeriod) => Promise.resolve({ ...TOP_SPEND, period })),
    doctor: vi.fn(() => Promise.resolve(DOCTOR)),
    gatewayStatus: vi.fn(() => Promise.resolve(GATEWAY_LIVE)),
    getSettings: vi.fn(() => Promise.resolve(settings)),
    setTheme: vi.fn((theme: Theme) => Promise.resolve((settings = { ...settings, theme }))),
    setLaunchAtLogin: vi.fn((enabled: boolean) =>
      Promise.resolve((settings = { ...settings, launchAtLogin: enabled })),
    ),
    onSpendUpdated: spendUpdated.subscribe,
    onGatewayStatus: gatewayStatusChanged.subscribe,
    /** Delivers a `spend-updated` event to every subscriber. */
    emitSpendUpdated: spendUpdated.emit,
    /** Delivers a `gateway-status-changed` event to every subscriber. */
    emitGatewayStatus: gatewayStatusChanged.emit,
    /** How many `spend-updated` subscriptions are active. */
    listenerCount: spendUpdated.count,
    /** How many `gateway-status-changed` subscriptions are active. */
    gatewayListenerCount: gatewayStatusChanged.count,
  } satisfies Backend & Record<string, unknown>;
}

/** The type of {@link createFakeBackend}'s result. */
export type FakeBackend = ReturnType<typeof createFakeBackend>;

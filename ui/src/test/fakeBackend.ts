import { vi } from "vitest";
import type { Backend, Settings, SpendPeriod, SpendSummary, Theme } from "../backend";
import { APP_INFO, DOCTOR, SETTINGS, SUMMARY, TOP_SPEND } from "./fixtures";

/** A Backend made of `vi.fn`s answering with the fixtures, plus a way to push live events. */
export function createFakeBackend() {
  const listeners = new Set<(summary: SpendSummary) => void>();
  let settings: Settings = { ...SETTINGS };
  return {
    kind: "tauri" as const,
    appInfo: vi.fn(() => Promise.resolve(APP_INFO)),
    spendSummary: vi.fn(() => Promise.resolve(SUMMARY)),
    topSpend: vi.fn((period: SpendPeriod) => Promise.resolve({ ...TOP_SPEND, period })),
    doctor: vi.fn(() => Promise.resolve(DOCTOR)),
    getSettings: vi.fn(() => Promise.resolve(settings)),
    setTheme: vi.fn((theme: Theme) => Promise.resolve((settings = { ...settings, theme }))),
    setLaunchAtLogin: vi.fn((enabled: boolean) =>
      Promise.resolve((settings = { ...settings, launchAtLogin: enabled })),
    ),
    onSpendUpdated: vi.fn((cb: (summary: SpendSummary) => void) => {
      listeners.add(cb);
      return Promise.resolve(() => {
        listeners.delete(cb);
      });
    }),
    /** Delivers a `spend-updated` event to every subscriber. */
    emitSpendUpdated(summary: SpendSummary) {
      for (const listener of [...listeners]) listener(summary);
    },
    /** How many `spend-updated` subscriptions are active. */
    listenerCount: () => listeners.size,
  } satisfies Backend & Record<string, unknown>;
}

/** The type of {@link createFakeBackend}'s result. */
export type FakeBackend = ReturnType<typeof createFakeBackend>;

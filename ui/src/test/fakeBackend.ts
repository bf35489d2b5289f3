import { vi } from "vitest";
import type {
  Alert,
  Anomaly,
  AnomalyDraft,
  Backend,
  Budget,
  BudgetBoard,
  BudgetDraft,
  GatewayStatus,
  PauseView,
  Settings,
  SinkDraft,
  SinkView,
  SpendPeriod,
  SpendSummary,
  Theme,
} from "../backend";
import {
  ALERTS,
  ANOMALIES,
  APP_INFO,
  BOARD,
  DOCTOR,
  GATEWAY_LIVE,
  SETTINGS,
  SINKS,
  SUMMARY,
  TOP_SPEND,
} from "./fixtures";

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

/** A manual pause of everything, as `pauseAll` answers it. */
const MANUAL_PAUSE: PauseView = {
  id: 99,
  scope: "all",
  reason: "Paused from the app",
  budgetId: null,
  startedMs: 0,
  steps: ["Stopped new runs"],
  problems: [],
};

/** What the fake stores as the target of a new sink (the real engine describes it without secrets). */
function fakeTarget(draft: SinkDraft): string {
  const { config } = draft;
  switch (config.kind) {
    case "webhook":
      return new URL(config.url).host;
    case "slack":
    case "discord":
      return new URL(config.webhookUrl).host;
    case "telegram":
      return `Telegram chat ${config.chatId}`;
    case "ntfy":
      return `${new URL(config.server).host}/${config.topic}`;
    case "email":
      return `${config.to} via ${config.host}`;
  }
}

/**
 * A Backend made of `vi.fn`s answering with the fixtures, plus a way to push live events.
 * Budgets and alerts answer with the fixtures too; only acknowledging changes what `alerts()`
 * answers next (the real backend sends no event for it). Alert sinks and anomaly rules are kept
 * in memory: adding and removing change what the next list answers.
 */
export function createFakeBackend() {
  const spendUpdated = fakeEvent<SpendSummary>();
  const gatewayStatusChanged = fakeEvent<GatewayStatus>();
  const budgetBoardChanged = fakeEvent<BudgetBoard>();
  const alertsChanged = fakeEvent<null>();
  let settings: Settings = { ...SETTINGS };
  let alerts: Alert[] = ALERTS.map((a) => ({ ...a }));
  let sinks: SinkView[] = SINKS.map((s) => ({ ...s }));
  let anomalies: Anomaly[] = ANOMALIES.map((a) => ({ ...a }));
  let nextId = 100;
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
    budgetBoard: vi.fn(() => Promise.resolve(BOARD)),
    saveBudget: vi.fn((id: number | null, draft: BudgetDraft) => Promise.resolve<Budget>({ ...draft, id: id ?? 100 })),
    removeBudget: vi.fn((id: number) => {
      const found = BOARD.budgets.find((s) => s.budget.id === id)?.budget;
      return Promise.resolve<Budget>(found ?? { ...BOARD.budgets[0].budget, id });
    }),
    restoreBudget: vi.fn((_budget: Budget) => Promise.resolve(null)),
    alerts: vi.fn(() => Promise.resolve(alerts)),
    acknowledgeAlerts: vi.fn((id: number | null) => {
      alerts = alerts.map((a) => (id === null || a.id === id ? { ...a, acknowledged: true } : a));
      return Promise.resolve(null);
    }),
    pauseAll: vi.fn(() => Promise.resolve(MANUAL_PAUSE)),
    resumeAll: vi.fn(() => Promise.resolve<PauseView[]>([])),
    alertSinks: vi.fn(() => Promise.resolve(sinks)),
    addAlertSink: vi.fn((draft: SinkDraft) => {
      const sink: SinkView = {
        id: nextId++,
        name: draft.name || draft.config.kind,
        kind: draft.config.kind,
        target: fakeTarget(draft),
        cooldownSecs: draft.cooldownSecs,
        lastSentMs: null,
        lastError: null,
      };
      sinks = [...sinks, sink];
      return Promise.resolve(sink);
    }),
    removeAlertSink: vi.fn((id: number) => {
      sinks = sinks.filter((s) => s.id !== id);
      return Promise.resolve(null);
    }),
    testAlertSink: vi.fn((_id: number) => Promise.resolve<string | null>(null)),
    anomalyRules: vi.fn(() => Promise.resolve(anomalies)),
    addAnomalyRule: vi.fn((draft: AnomalyDraft) => {
      const anomaly: Anomaly = { ...draft, id: nextId++ };
      anomalies = [...anomalies, anomaly];
      return Promise.resolve(anomaly);
    }),
    removeAnomalyRule: vi.fn((id: number) => {
      anomalies = anomalies.filter((a) => a.id !== id);
      return Promise.resolve(null);
    }),
    onSpendUpdated: spendUpdated.subscribe,
    onGatewayStatus: gatewayStatusChanged.subscribe,
    onBudgetBoardChanged: budgetBoardChanged.subscribe,
    onAlertsChanged: alertsChanged.subscribe,
    /** Delivers a `spend-updated` event to every subscriber. */
    emitSpendUpdated: spendUpdated.emit,
    /** Delivers a `gateway-status-changed` event to every subscriber. */
    emitGatewayStatus: gatewayStatusChanged.emit,
    /** How many `spend-updated` subscriptions are active. */
    listenerCount: spendUpdated.count,
    /** How many `gateway-status-changed` subscriptions are active. */
    gatewayListenerCount: gatewayStatusChanged.count,
    /** Delivers a `budget-board-changed` event to every subscriber. */
    emitBudgetBoard: budgetBoardChanged.emit,
    /** Delivers an `alerts-changed` event to every subscriber. */
    emitAlertsChanged: () => alertsChanged.emit(null),
    /** How many `budget-board-changed` subscriptions are active. */
    boardListenerCount: budgetBoardChanged.count,
    /** How many `alerts-changed` subscriptions are active. */
    alertsListenerCount: alertsChanged.count,
  } satisfies Backend & Record<string, unknown>;
}

/** The type of {@link createFakeBackend}'s result. */
export type FakeBackend = ReturnType<typeof createFakeBackend>;

import { vi } from "vitest";
import {
  BackendError,
  type Activity,
  type AgentDraft,
  type ChangedSessions,
  type AgentRow,
  type Alert,
  type Anomaly,
  type AnomalyDraft,
  type AnomalyRules,
  type ArchiveView,
  type AuditEntry,
  type Backend,
  type CronDraft,
  type CronRow,
  type Budget,
  type BudgetBoard,
  type BudgetDraft,
  type BudgetStatus,
  type GatewayCredential,
  type GatewayDraft,
  type GatewayEntry,
  type GatewayStatus,
  type KeyDraft,
  type KeyView,
  type PauseView,
  type RouterStatus,
  type RouteThrough,
  type SessionChange,
  type SessionQuery,
  type SessionState,
  type Settings,
  type SinkDraft,
  type SinkView,
  type SpendPeriod,
  type SpendSummary,
  type Theme,
  type Timeline,
  type UsageExportFormat,
  type UsageQuery,
  type UsageView,
} from "../backend";
import { fullEntry, sessionPage, SPAWNER_TIMELINE, SPAWNER_TREE } from "./fakeSessions";
import { PRICE_MODELS, usageView } from "./fakeUsage";
import {
  ROUTER_ACTIVITY,
  ARCHIVED_ENTRY,
  DAILY_JOB,
  DAILY_RUN,
  HEARTBEAT_JOB,
  MAIN_AGENT,
  OPS_ARCHIVE,
  RESEARCH_AGENT,
  ROUTED_STUB,
  ROUTING_SKIPPED,
  ALERTS,
  ANOMALIES,
  APP_INFO,
  BOARD,
  DOCTOR,
  GATEWAYS,
  CODER_KEY,
  LOCAL_GATEWAY,
  ROUTER_RUNNING,
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

/** Where a budget just created stands: nothing spent yet. */
function freshStatus(budget: Budget): BudgetStatus {
  return {
    budget,
    spentUsd: 0,
    percent: 0,
    level: "ok",
    windowStartMs: 0,
    rollsOverAtMs: null,
    burnUsdPerHour: 0,
    limitReachedAtMs: null,
    projection: null,
    label: `$0.00 / $${budget.limitUsd}`,
    paused: false,
    problem: null,
  };
}

/** A gateway whose connection (re)starts: how the engine shows a gateway just added or changed. */
function connecting(gateway: GatewayEntry): GatewayStatus {
  return {
    gateway,
    state: "connecting",
    serverVersion: null,
    errorCode: null,
    errorMessage: null,
    missingScopes: [],
    canControl: false,
  };
}

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
 * The budget board, alerts, alert sinks, anomaly rules and gateways are kept in memory: each
 * command changes what the next read answers. As the real backend does, every budget, pause,
 * resume and acknowledge command pushes `budget-board-changed` with the new board, and every
 * gateway command `gateways-changed` with the new list (synchronously, before its answer); a test
 * that replaces one of those with its own mock pushes the event itself.
 */
/** The fake's transcripts: the spawner's timeline; NOT_FOUND for any other session. */
function timelineOf(key: string): Promise<Timeline> {
  return key === SPAWNER_TIMELINE.sessionKey
    ? Promise.resolve(SPAWNER_TIMELINE)
    : Promise.reject(new BackendError("NOT_FOUND", `no transcript of the session ${key}: OpenClaw keeps none for it`));
}

export function createFakeBackend() {
  const spendUpdated = fakeEvent<SpendSummary>();
  const gatewaysChanged = fakeEvent<GatewayStatus[]>();
  const budgetBoardChanged = fakeEvent<BudgetBoard>();
  const alertsChanged = fakeEvent<null>();
  const routerActivityChanged = fakeEvent<null>();
  const gatewayActivity = fakeEvent<Activity>();
  const sessionsChanged = fakeEvent<ChangedSessions>();
  let settings: Settings = { ...SETTINGS };
  let alerts: Alert[] = ALERTS.map((a) => ({ ...a }));
  let sinks: SinkView[] = SINKS.map((s) => ({ ...s }));
  let anomalies: Anomaly[] = ANOMALIES.map((a) => ({ ...a }));
  let router: RouterStatus = ROUTER_RUNNING;
  let keys: KeyView[] = [{ ...CODER_KEY }];
  let attached: RouteThrough["attached"] = [];
  let agents: AgentRow[] = [{ ...MAIN_AGENT }, { ...RESEARCH_AGENT }];
  let archives: ArchiveView[] = [{ ...OPS_ARCHIVE }];
  let audit: AuditEntry[] = [{ ...ARCHIVED_ENTRY }];
  let jobs: CronRow[] = [{ ...DAILY_JOB }, { ...HEARTBEAT_JOB }];
  /** OpenClaw's state of the sessions changed so far (others: unlabelled, unpinned, live). */
  const sessionStates = new Map<string, SessionState>();
  const sessionState = (key: string): SessionState =>
    sessionStates.get(key) ?? {
      label: null,
      pinned: false,
      archived: false,
      canPin: !key.includes(":subagent:"),
      canArchive: !/^agent:[^:]+:main$/.test(key),
    };
  const stored = (draft: CronDraft): CronRow["schedule"] =>
    draft.schedule.kind === "cron" ? { kind: "cron", expr: draft.schedule.expr, ...(draft.schedule.tz ? { tz: draft.schedule.tz } : {}) } : draft.schedule;
  const DRAFT_SHAPE = { name: "", agentId: null, message: "", enabled: true };
  const words = (draft: CronDraft) =>
    draft.schedule.kind === "every" ? `every ${draft.schedule.everyMs / 60_000} min` : draft.schedule.kind === "at" ? `once, at ${draft.schedule.at}` : `cron ${draft.schedule.expr}`;
  const audited = (action: string, target: string, detail: string | null = null) => {
    audit = [{ id: audit.length + 1, tsMs: Date.UTC(2026, 11, 3, 9), actor: "app", action, target, result: "ok", detail }, ...audit];
  };
  let board: BudgetBoard = BOARD;
  let gateways: GatewayStatus[] = [...GATEWAYS];
  /** Removed gateways as they were, for restoreGateway. */
  const removedGateways = new Map<number, GatewayStatus>();
  /** Removed budgets' figures, for restoreBudget. */
  const removedStatuses = new Map<number, BudgetStatus>();
  let nextId = 100;
  /** Changes the board and pushes it, as the engine does after each command. */
  const changeBoard = (change: Partial<BudgetBoard>) => {
    board = { ...board, ...change };
    budgetBoardChanged.emit(board);
  };
  const withBudgets = (budgets: BudgetStatus[]) =>
    changeBoard({ budgets: [...budgets].sort((a, b) => a.budget.id - b.budget.id) });
  /** Changes the gateways (the local one, id 0, first) and pushes them; resolves with them. */
  const withGateways = (next: GatewayStatus[]) => {
    gateways = [...next].sort((a, b) => a.gateway.id - b.gateway.id);
    gatewaysChanged.emit(gateways);
    return Promise.resolve(gateways);
  };
  const findGateway = (id: number) => gateways.find((g) => g.gateway.id === id);
  const noGateway = (id: number) => Promise.reject(new BackendError("NOT_FOUND", `gateway ${id} does not exist`));
  return {
    kind: "tauri" as const,
    appInfo: vi.fn(() => Promise.resolve(APP_INFO)),
    spendSummary: vi.fn(() => Promise.resolve(SUMMARY)),
    topSpend: vi.fn((period: SpendPeriod) => Promise.resolve({ ...TOP_SPEND, period })),
    doctor: vi.fn(() => Promise.resolve(DOCTOR)),
    gateways: vi.fn(() => Promise.resolve(gateways)),
    addGateway: vi.fn((draft: GatewayDraft) => {
      const gateway: GatewayEntry = {
        id: nextId++,
        name: draft.name || new URL(draft.url).host,
        url: draft.url,
        local: false,
        credential: draft.credential?.kind ?? null,
        credentialEntered: draft.credential !== null,
        controlled: gateways.length === 0,
      };
      return withGateways([...gateways, connecting(gateway)]);
    }),
    removeGateway: vi.fn((id: number) => {
      const found = findGateway(id);
      if (!found) return noGateway(id);
      if (found.gateway.local) {
        return Promise.reject(new BackendError("INVALID_INPUT", "the local gateway cannot be removed"));
      }
      removedGateways.set(id, found);
      return withGateways(gateways.filter((g) => g !== found));
    }),
    restoreGateway: vi.fn((id: number) => {
      const found = removedGateways.get(id);
      if (!found) return noGateway(id);
      removedGateways.delete(id);
      return withGateways([...gateways, found]);
    }),
    setGatewayCredential: vi.fn((id: number, credential: GatewayCredential | null) => {
      const found = findGateway(id);
      if (!found) return noGateway(id);
      // Forgetting the local gateway's entered one falls back to openclaw.json's token.
      const fallback = found.gateway.local ? LOCAL_GATEWAY.credential : null;
      const changed = connecting({
        ...found.gateway,
        credential: credential?.kind ?? fallback,
        credentialEntered: credential !== null,
      });
      return withGateways(gateways.map((g) => (g === found ? changed : g)));
    }),
    getSettings: vi.fn(() => Promise.resolve(settings)),
    setTheme: vi.fn((theme: Theme) => Promise.resolve((settings = { ...settings, theme }))),
    setLaunchAtLogin: vi.fn((enabled: boolean) =>
      Promise.resolve((settings = { ...settings, launchAtLogin: enabled })),
    ),
    budgetBoard: vi.fn(() => Promise.resolve(board)),
    saveBudget: vi.fn((id: number | null, draft: BudgetDraft) => {
      const budget: Budget = { ...draft, id: id ?? nextId++ };
      const others = board.budgets.filter((s) => s.budget.id !== budget.id);
      const old = board.budgets.find((s) => s.budget.id === budget.id);
      withBudgets([...others, old ? { ...old, budget } : freshStatus(budget)]);
      return Promise.resolve(budget);
    }),
    removeBudget: vi.fn((id: number) => {
      const found = board.budgets.find((s) => s.budget.id === id);
      if (!found) return Promise.reject(new BackendError("NOT_FOUND", `budget ${id} does not exist`));
      removedStatuses.set(id, found);
      withBudgets(board.budgets.filter((s) => s !== found));
      return Promise.resolve(found.budget);
    }),
    restoreBudget: vi.fn((budget: Budget) => {
      const status = removedStatuses.get(budget.id);
      removedStatuses.delete(budget.id);
      withBudgets([...board.budgets, status ? { ...status, budget } : freshStatus(budget)]);
      return Promise.resolve(null);
    }),
    alerts: vi.fn(() => Promise.resolve(alerts)),
    acknowledgeAlerts: vi.fn((id: number | null) => {
      alerts = alerts.map((a) => (id === null || a.id === id ? { ...a, acknowledged: true } : a));
      changeBoard({ unacknowledgedAlerts: alerts.filter((a) => !a.acknowledged).length });
      return Promise.resolve(null);
    }),
    pauseAll: vi.fn(() => {
      changeBoard({ pauses: [...board.pauses, MANUAL_PAUSE] });
      return Promise.resolve(MANUAL_PAUSE);
    }),
    resumeAll: vi.fn(() => {
      const resumed = board.pauses.map((pause) => ({ ...pause, problems: [] }));
      changeBoard({ pauses: [], budgets: board.budgets.map((s) => ({ ...s, paused: false })) });
      return Promise.resolve<PauseView[]>(resumed);
    }),
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
        proxy: draft.proxy ? new URL(draft.proxy).origin : null,
      };
      sinks = [...sinks, sink];
      return Promise.resolve(sink);
    }),
    removeAlertSink: vi.fn((id: number) => {
      sinks = sinks.filter((s) => s.id !== id);
      return Promise.resolve(null);
    }),
    testAlertSink: vi.fn((_id: number) => Promise.resolve<string | null>(null)),
    anomalyRules: vi.fn(() => Promise.resolve<AnomalyRules>({ rules: anomalies, unreadable: [] })),
    addAnomalyRule: vi.fn((draft: AnomalyDraft) => {
      const anomaly: Anomaly = { ...draft, id: nextId++, problem: null };
      anomalies = [...anomalies, anomaly];
      return Promise.resolve(anomaly);
    }),
    removeAnomalyRule: vi.fn((id: number) => {
      anomalies = anomalies.filter((a) => a.id !== id);
      return Promise.resolve(null);
    }),
    routerStatus: vi.fn(() => Promise.resolve(router)),
    storeProviderKey: vi.fn((id: string, key: string) => {
      const provider = router.providers.find((p) => p.id === id);
      if (!provider) return Promise.reject(new BackendError("NOT_FOUND", `the router has no provider "${id}"`));
      if (!provider.keyring || !key.trim()) {
        return Promise.reject(new BackendError("INVALID_INPUT", `provider "${id}" does not keep its key in the OS keyring`));
      }
      router = { ...router, providers: router.providers.map((p) => (p.id === id ? { ...p, disabled: null } : p)) };
      return Promise.resolve(router);
    }),
    routerKeys: vi.fn(() => Promise.resolve(keys)),
    createRouterKey: vi.fn((draft: KeyDraft) => {
      if (!draft.agentId.trim()) return Promise.reject(new BackendError("INVALID_INPUT", "a key needs an agent id"));
      const view: KeyView = {
        id: nextId++,
        name: draft.name || draft.agentId,
        agentId: draft.agentId,
        prefix: "ctk-NeWkEy",
        models: draft.models ?? [],
        expiresMs: draft.expiresMs ?? null,
        createdMs: Date.UTC(2026, 11, 3),
        revokedMs: null,
        limits: {
          rpm: draft.limits?.rpm ?? null,
          tpm: draft.limits?.tpm ?? null,
          maxParallel: draft.limits?.maxParallel ?? null,
          budgetId: draft.limits?.budgetId ?? null,
        },
      };
      keys = [view, ...keys];
      return Promise.resolve({ key: "ctk-NeWkEyThatIsShownOnce0000000000000000000", view });
    }),
    revokeRouterKey: vi.fn((id: number) => {
      keys = keys.map((k) => (k.id === id ? { ...k, revokedMs: Date.UTC(2026, 11, 3) } : k));
      const revoked = keys.find((k) => k.id === id);
      return revoked ? Promise.resolve(revoked) : Promise.reject(new BackendError("NOT_FOUND", `router key ${id}`));
    }),
    routerActivity: vi.fn(() => Promise.resolve(ROUTER_ACTIVITY)),
    routerAttachments: vi.fn(() => Promise.resolve<RouteThrough>({ attached, skipped: [], notes: [] })),
    attachRouter: vi.fn(() => {
      if (router.state !== "running")
        return Promise.reject(new BackendError("INVALID_INPUT", "the router is not running"));
      attached = [{ ...ROUTED_STUB }];
      return Promise.resolve<RouteThrough>({ attached, skipped: [...ROUTING_SKIPPED], notes: [] });
    }),
    detachRouter: vi.fn(() => {
      attached = [];
      return Promise.resolve<RouteThrough>({ attached, skipped: [], notes: [] });
    }),
    agents: vi.fn(() => Promise.resolve(agents)),
    createAgent: vi.fn((draft: AgentDraft) => {
      const id = draft.name.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
      if (agents.some((a) => a.id === id))
        return Promise.reject(new BackendError("GATEWAY", `agent "${id}" already exists`));
      agents = [...agents, { ...RESEARCH_AGENT, id, name: draft.name.trim(), model: draft.model ?? null, sessions: 0, spendTotalUsd: 0, identity: id }];
      audited("agent.create", draft.name, `id ${id}`);
      return Promise.resolve(id);
    }),
    editAgent: vi.fn((id: string, edit: { name?: string | null; model?: string | null; emoji?: string | null }) => {
      agents = agents.map((a) => (a.id === id ? { ...a, name: edit.name ?? a.name, model: edit.model ?? a.model, emoji: edit.emoji ?? a.emoji } : a));
      audited("agent.edit", id);
      return Promise.resolve(null);
    }),
    archiveAgent: vi.fn((id: string) => {
      const agent = agents.find((a) => a.id === id);
      if (!agent) return Promise.reject(new BackendError("NOT_FOUND", `agent ${id}`));
      agents = agents.filter((a) => a.id !== id);
      const archive: ArchiveView = { ...OPS_ARCHIVE, id: `${id}-20261203T090000Z`, agentId: id, name: agent.name, archivedMs: Date.UTC(2026, 11, 3, 9) };
      archives = [archive, ...archives];
      audited("agent.archive", id, `archive ${archive.id}`);
      return Promise.resolve(archive);
    }),
    restoreAgent: vi.fn((archiveId: string) => {
      const archive = archives.find((a) => a.id === archiveId);
      if (!archive) return Promise.reject(new BackendError("NOT_FOUND", `archive ${archiveId}`));
      const taken = agents.some((a) => a.id === archive.agentId);
      const id = taken ? `${archive.agentId}-2` : archive.agentId;
      archives = archives.filter((a) => a.id !== archiveId);
      agents = [...agents, { ...RESEARCH_AGENT, id, name: taken ? `${archive.name}-2` : archive.name, identity: archive.agentId }];
      audited("agent.restore", archiveId, `restored as ${id}`);
      return Promise.resolve({ agentId: id, name: id, cronJobs: archive.cronJobs, newKeys: [], sessionsArchived: taken });
    }),
    purgeArchive: vi.fn((archiveId: string, confirm: string) => {
      const archive = archives.find((a) => a.id === archiveId);
      if (!archive) return Promise.reject(new BackendError("NOT_FOUND", `archive ${archiveId}`));
      if (confirm.trim() !== archive.name && confirm.trim() !== archive.agentId)
        return Promise.reject(new BackendError("INVALID_INPUT", `type the agent's name, ${archive.name}, to purge its archive`));
      archives = archives.filter((a) => a.id !== archiveId);
      audited("agent.purge", archiveId);
      return Promise.resolve(null);
    }),
    archivedAgents: vi.fn(() => Promise.resolve(archives)),
    auditLog: vi.fn(() => Promise.resolve(audit)),
    sessions: vi.fn((query: SessionQuery) => Promise.resolve(sessionPage(query))),
    sessionTimeline: vi.fn(timelineOf),
    sessionTimelineStart: vi.fn((key: string, count: number) =>
      timelineOf(key).then((t) => ({ ...t, entries: t.entries.slice(0, count), totalEntries: t.entries.length > count ? null : t.entries.length })),
    ),
    sessionTimelineSince: vi.fn((key: string, from: number, afterId: string | null) =>
      timelineOf(key).then((t) => {
        const holds = from > 0 && t.entries[from - 1]?.id === afterId;
        return holds ? { ...t, entries: t.entries.slice(from), offset: from } : t;
      }),
    ),
    sessionEntry: vi.fn((key: string, id: string) => {
      const found = fullEntry(id);
      return found ? Promise.resolve(found) : Promise.reject(new BackendError("NOT_FOUND", `no entry ${id} in the session ${key}`));
    }),
    sessionTree: vi.fn((_key: string) => Promise.resolve(SPAWNER_TREE)),
    sessionExport: vi.fn((key: string, format: "json" | "markdown") =>
      Promise.resolve(format === "json" ? JSON.stringify({ sessionKey: key }) : `# ${key}\n`),
    ),
    usage: vi.fn((query: UsageQuery) => new Promise<UsageView>((resolve) => resolve(usageView(query)))),
    usageExport: vi.fn((query: UsageQuery, format: UsageExportFormat) =>
      Promise.resolve(format === "json" ? JSON.stringify(usageView(query)) : "table,key,label\ntotal,total,total\n"),
    ),
    priceModels: vi.fn(() => Promise.resolve(PRICE_MODELS)),
    abortSession: vi.fn((_key: string) => Promise.resolve(true)),
    resetSession: vi.fn((_key: string) => Promise.resolve(null)),
    deleteSession: vi.fn((_key: string) => Promise.resolve(null)),
    changeSession: vi.fn((key: string, change: SessionChange) => {
      // As OpenClaw does: archiving unpins, and an archived session cannot be pinned.
      const now = sessionState(key);
      if (change.pinned && now.archived) return Promise.reject(new BackendError("GATEWAY", "cannot pin an archived session; restore it first"));
      const archived = change.archived ?? now.archived;
      sessionStates.set(key, {
        ...now,
        label: change.label === undefined || change.label === null ? now.label : change.label.trim() || null,
        pinned: !archived && (change.pinned ?? now.pinned),
        archived,
        canPin: !key.includes(":subagent:") && !archived,
      });
      return Promise.resolve(null);
    }),
    sessionState: vi.fn((key: string) => Promise.resolve<SessionState | null>(sessionState(key))),
    killSession: vi.fn((_key: string) => Promise.resolve(2)),
    abortAgent: vi.fn((_id: string) => Promise.resolve(1)),
    crons: vi.fn(() => Promise.resolve(jobs)),
    addCron: vi.fn((draft: CronDraft) => {
      if (draft.schedule.kind === "cron" && draft.schedule.expr.includes("25"))
        return Promise.reject(new BackendError("INVALID_INPUT", "the hour field has 25: it runs 0–23"));
      const id = `job-${jobs.length + 1}`;
      jobs = [...jobs, { ...DAILY_JOB, id, name: draft.name, agentId: draft.agentId ?? null, schedule: stored(draft), scheduleWords: words(draft), message: draft.message, enabled: draft.enabled ?? true, lastRunMs: null, lastStatus: null, lastDurationMs: null }];
      return Promise.resolve(id);
    }),
    editCron: vi.fn((id: string, draft: CronDraft) => {
      jobs = jobs.map((j) => (j.id === id ? { ...j, name: draft.name, schedule: stored(draft), scheduleWords: words(draft), message: draft.message } : j));
      return Promise.resolve(null);
    }),
    setCronEnabled: vi.fn((id: string, enabled: boolean) => {
      jobs = jobs.map((j) => (j.id === id ? { ...j, enabled } : j));
      return Promise.resolve(null);
    }),
    runCron: vi.fn((id: string) => Promise.resolve<string | null>(`manual:${id}:1`)),
    removeCron: vi.fn((id: string) => {
      jobs = jobs.filter((j) => j.id !== id);
      return Promise.resolve(null);
    }),
    cronRuns: vi.fn((_id: string) => Promise.resolve([{ ...DAILY_RUN }])),
    cronPreview: vi.fn((schedule: CronDraft["schedule"], job: string | null) => {
      if (schedule.kind === "cron" && schedule.expr.includes("25"))
        return Promise.reject(new BackendError("INVALID_INPUT", "the hour field has 25: it runs 0–23"));
      const start = Date.UTC(2026, 11, 5, 9);
      const step = schedule.kind === "every" ? schedule.everyMs : 86_400_000;
      const runsMs = schedule.kind === "at" ? [Date.parse(schedule.at)] : [0, 1, 2, 3, 4].map((k) => start + k * step);
      const zone = schedule.kind === "cron" ? (schedule.tz ?? "UTC") : "UTC";
      // Top-of-hour expressions are staggered by up to 5 min; a known job's delay is 42 s.
      const staggerMs = schedule.kind === "cron" && schedule.expr.startsWith("0 * ") ? (schedule.staggerMs ?? 300_000) : 0;
      const offsetMs = schedule.kind === "cron" && job ? (staggerMs > 0 ? 42_000 : 0) : null;
      return Promise.resolve({ words: words({ ...DRAFT_SHAPE, schedule }), zone, runsMs: runsMs.map((ms) => ms + (offsetMs ?? 0)), staggerMs, offsetMs });
    }),
    onSpendUpdated: spendUpdated.subscribe,
    onGateways: gatewaysChanged.subscribe,
    onBudgetBoardChanged: budgetBoardChanged.subscribe,
    onAlertsChanged: alertsChanged.subscribe,
    onRouterActivityChanged: routerActivityChanged.subscribe,
    onGatewayActivity: gatewayActivity.subscribe,
    onSessionsChanged: sessionsChanged.subscribe,
    /** Tells the page these sessions' transcripts grew, as the ledger watcher does. */
    pushSessionsChanged: (keys: string[]) => sessionsChanged.emit({ keys, many: false }),
    openLink: vi.fn((_url: string) => Promise.resolve()),
    saveFile: vi.fn((_name: string, _content: string, _extension: string) => Promise.resolve(true)),
    /** Pushes a live gateway item, as a gateway feed does. */
    pushActivity: (item: Activity) => gatewayActivity.emit(item),
    /** Sets what `routerStatus` answers next. */
    setRouter: (next: RouterStatus) => {
      router = next;
    },
    /** Delivers a `spend-updated` event to every subscriber. */
    emitSpendUpdated: spendUpdated.emit,
    /** Sets the gateways `gateways` answers next and the commands change (pushes no event). */
    setGateways: (next: GatewayStatus[]) => {
      gateways = next;
    },
    /** Delivers a `gateways-changed` event to every subscriber (and keeps that list). */
    emitGateways: (next: GatewayStatus[]) => {
      gateways = next;
      gatewaysChanged.emit(next);
    },
    /** How many `spend-updated` subscriptions are active. */
    listenerCount: spendUpdated.count,
    /** How many `gateways-changed` subscriptions are active. */
    gatewaysListenerCount: gatewaysChanged.count,
    /** Sets the board `budgetBoard` answers next and the commands change (pushes no event). */
    setBoard: (next: BudgetBoard) => {
      board = next;
    },
    /** Delivers a `budget-board-changed` event to every subscriber (and keeps that board). */
    emitBudgetBoard: (next: BudgetBoard) => {
      board = next;
      budgetBoardChanged.emit(next);
    },
    /** Delivers an `alerts-changed` event to every subscriber. */
    emitAlertsChanged: () => alertsChanged.emit(null),
    /** Delivers a `router-activity-changed` event to every subscriber. */
    emitRouterActivityChanged: () => routerActivityChanged.emit(null),
    /** How many `budget-board-changed` subscriptions are active. */
    boardListenerCount: budgetBoardChanged.count,
  } satisfies Backend & Record<string, unknown>;
}

/** The type of {@link createFakeBackend}'s result. */
export type FakeBackend = ReturnType<typeof createFakeBackend>;

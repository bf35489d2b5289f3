import type {
  AgentRow,
  Alert,
  Anomaly,
  AppInfo,
  ArchiveView,
  CronRow,
  CronRunRow,
  Attachment,
  AuditEntry,
  Budget,
  BudgetBoard,
  BudgetStatus,
  DoctorReport,
  GatewayEntry,
  GatewayStatus,
  KeyView,
  PauseView,
  RouterActivity,
  RouterStatus,
  Settings,
  SinkDraft,
  SinkView,
  SkippedProvider,
  SpendSummary,
  TopSpend,
} from "../backend";

/** A plausible spend summary. */
export const SUMMARY: SpendSummary = {
  todayUsd: 1.5,
  weekUsd: 12.345,
  monthUsd: 48.2,
  todayCalls: 42,
  unpricedTokensToday: 0,
  trayLabel: "$1.50 today",
  timeZone: "Europe/Paris",
  asOf: "2025-03-14T13:05:09Z",
};

/** A doctor report for a healthy SQLite install with one warning. */
export const DOCTOR: DoctorReport = {
  stateDir: "/home/ada/.openclaw",
  configPath: "/home/ada/.openclaw/openclaw.json",
  storage: "sqlite",
  agents: [
    { id: "main", storage: "sqlite", sessions: 12 },
    { id: "research", storage: "sqlite", sessions: null },
  ],
  gatewayUrl: "ws://127.0.0.1:18789",
  checks: [
    { id: "state-dir", status: "ok", title: "State directory", detail: "Found ~/.openclaw", hint: "never shown" },
    {
      id: "gateway",
      status: "warn",
      title: "Gateway",
      detail: "Not reachable",
      hint: "Start it with `openclaw gateway`",
    },
  ],
};

/** What doctor() says when OpenClaw is not installed. */
export const DOCTOR_NOT_FOUND: DoctorReport = {
  stateDir: null,
  configPath: null,
  storage: "none",
  agents: [],
  gatewayUrl: null,
  checks: [
    {
      id: "state-dir",
      status: "missing",
      title: "State directory",
      detail: "~/.openclaw does not exist",
      hint: "Set OPENCLAW_STATE_DIR",
    },
  ],
};

/** Default settings. */
export const SETTINGS: Settings = { theme: "system", launchAtLogin: false };

/** App info for the About section. */
export const APP_INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/home/ada/.local/share/clawtower",
  databasePath: "/home/ada/.local/share/clawtower/clawtower.db",
  platform: "linux",
};

/** Today's top spenders: two agents, three models and the three kinds of session keys. */
export const TOP_SPEND: TopSpend = {
  period: "day",
  agents: [
    { key: "main", costUsd: 1.2, calls: 30, tokens: 120000, unpricedTokens: 5000 },
    { key: "research", costUsd: 0.3, calls: 12, tokens: 40000, unpricedTokens: 0 },
  ],
  models: [
    { key: "anthropic/claude-sonnet-4-5", costUsd: 1.25, calls: 28, tokens: 110000, unpricedTokens: 0 },
    { key: "openai/gpt-5-mini", costUsd: 0.25, calls: 13, tokens: 45000, unpricedTokens: 0 },
    { key: "ollama/llama3", costUsd: 0, calls: 1, tokens: 5000, unpricedTokens: 5000 },
  ],
  sessions: [
    { key: "agent:main:main", costUsd: 0.9, calls: 20, tokens: 80000, unpricedTokens: 0 },
    {
      key: "agent:main:subagent:7f1c2d9e-4b1a-4c7e-9a51-2f0e8b6d3c11",
      costUsd: 0.45,
      calls: 1,
      tokens: 30000,
      unpricedTokens: 5000,
    },
    {
      key: "agent:research:cron:nightly-digest:run:5d2e9c",
      costUsd: 0.15,
      calls: 21,
      tokens: 55000,
      unpricedTokens: 0,
    },
  ],
};

/** A period without any model call. */
export const TOP_SPEND_EMPTY: TopSpend = { period: "day", agents: [], models: [], sessions: [] };

/** The local gateway found in openclaw.json (id 0), the one budgets pause; it sends openclaw.json's token. */
export const LOCAL_GATEWAY: GatewayEntry = {
  id: 0,
  name: "This machine",
  url: "ws://127.0.0.1:18789/",
  local: true,
  credential: "token",
  credentialEntered: false,
  controlled: true,
};

/** A gateway added by URL, on another machine, with a password entered. */
export const REMOTE_GATEWAY: GatewayEntry = {
  id: 3,
  name: "Build box",
  url: "wss://build.example.com/",
  local: false,
  credential: "password",
  credentialEntered: true,
  controlled: false,
};

/** The local gateway, followed live. */
export const GATEWAY_LIVE: GatewayStatus = {
  gateway: LOCAL_GATEWAY,
  state: "live",
  serverVersion: "2026.9.6",
  errorCode: null,
  errorMessage: null,
  missingScopes: [],
  canControl: true,
};

/** Live, but the gateway did not grant operator.admin: watching only. */
export const GATEWAY_READ_ONLY: GatewayStatus = {
  ...GATEWAY_LIVE,
  missingScopes: ["operator.admin"],
  canControl: false,
  errorMessage:
    "connected read-only: the gateway did not grant operator.admin, so Clawtower can watch but not pause it; approve this device with the admin scope on the gateway host (`openclaw devices list`)",
};

/** The local gateway (re)connecting, with no failure yet. */
export const GATEWAY_CONNECTING: GatewayStatus = { ...GATEWAY_LIVE, state: "connecting", serverVersion: null, canControl: false };

/** The local gateway refused this device until it is approved on the gateway host. */
export const GATEWAY_PAIRING_REQUIRED: GatewayStatus = {
  ...GATEWAY_CONNECTING,
  state: "error",
  errorCode: "PAIRING_REQUIRED",
  errorMessage: "this device needs approval on the gateway host: run `openclaw devices approve r-42`",
};

/** The added gateway, followed live (read-only: budgets do not pause it). */
export const REMOTE_LIVE: GatewayStatus = {
  ...GATEWAY_LIVE,
  gateway: REMOTE_GATEWAY,
  serverVersion: "2026.8.1",
  canControl: false,
};

/** The added gateway wanting a password that was not entered. */
export const REMOTE_PASSWORD_REQUIRED: GatewayStatus = {
  ...REMOTE_LIVE,
  gateway: { ...REMOTE_GATEWAY, credential: null, credentialEntered: false },
  state: "error",
  serverVersion: null,
  errorCode: "PASSWORD_REQUIRED",
  errorMessage: "the gateway at wss://build.example.com/ wants a password: enter it with Enter password",
};

/** What `gateways` answers by default: the local gateway live, then one added by URL. */
export const GATEWAYS: readonly GatewayStatus[] = [GATEWAY_LIVE, REMOTE_LIVE];

/** 14:05 local time on 14 March 2025: "now" in the budget fixtures. */
export const NOW_MS = new Date(2025, 2, 14, 14, 5).getTime();

const HOUR_MS = 3_600_000;

/** A daily cap on all spend that alerts at the default thresholds. */
export const DAILY_BUDGET: Budget = {
  id: 1,
  name: "Daily cap",
  scope: { kind: "all" },
  window: { kind: "day" },
  limitUsd: 20,
  thresholds: [50, 80, 100],
  action: "alert",
  autoResume: false,
};

/** An agent budget over a rolling 6 h window that pauses the agent at its limit. */
export const AGENT_BUDGET: Budget = {
  id: 2,
  name: "Research agent",
  scope: { kind: "agent", value: "research" },
  window: { kind: "rolling", hours: 6 },
  limitUsd: 5,
  thresholds: [80, 120],
  action: "pause",
  autoResume: true,
};

/** The daily cap, in warning at 61.7 % with a projection. */
export const DAILY_STATUS: BudgetStatus = {
  budget: DAILY_BUDGET,
  spentUsd: 12.34,
  percent: 61.7,
  level: "warning",
  windowStartMs: new Date(2025, 2, 14).getTime(),
  rollsOverAtMs: new Date(2025, 2, 15).getTime(),
  burnUsdPerHour: 1.5,
  limitReachedAtMs: NOW_MS + 5 * HOUR_MS,
  projection: "at this rate: $20 at 19:11",
  label: "$12.34 / $20",
  paused: false,
  problem: null,
};

/** The agent budget, over its limit and paused. */
export const AGENT_STATUS: BudgetStatus = {
  budget: AGENT_BUDGET,
  spentUsd: 6,
  percent: 120,
  level: "exceeded",
  windowStartMs: NOW_MS - 6 * HOUR_MS,
  rollsOverAtMs: null,
  burnUsdPerHour: 0,
  limitReachedAtMs: null,
  projection: null,
  label: "$6.00 / $5",
  paused: true,
  problem: null,
};

/** The pause the agent budget made. */
export const AGENT_PAUSE: PauseView = {
  id: 7,
  scope: "agent:research",
  reason: "Research agent reached its $5 limit",
  budgetId: 2,
  startedMs: NOW_MS - 20 * 60_000,
  steps: ["Stopped new runs of agent research", "Aborted 1 running session"],
  problems: [],
};

/** Recent alerts, newest first: one unacknowledged that was not delivered, one acknowledged. */
export const ALERTS: Alert[] = [
  {
    id: 11,
    tsMs: NOW_MS - 20 * 60_000,
    kind: "pause",
    budgetId: 2,
    title: "Research agent paused",
    body: "Research agent reached its $5 limit.",
    delivered: false,
    acknowledged: false,
  },
  {
    id: 10,
    tsMs: NOW_MS - 2 * HOUR_MS,
    kind: "threshold",
    budgetId: 1,
    title: "Daily cap at 50%",
    body: "$10.00 of $20 spent today.",
    delivered: true,
    acknowledged: true,
  },
];

/** How many of {@link ALERTS} are not acknowledged, as the board counts them. */
const UNACKNOWLEDGED = ALERTS.filter((alert) => !alert.acknowledged).length;

/** Two budgets, nothing paused. */
export const BOARD: BudgetBoard = {
  budgets: [DAILY_STATUS, AGENT_STATUS],
  pauses: [],
  unacknowledgedAlerts: UNACKNOWLEDGED,
  unusable: [],
};

/** The same budgets with the agent budget's pause holding. */
export const BOARD_PAUSED: BudgetBoard = { ...BOARD, pauses: [AGENT_PAUSE] };

/** No budgets at all. */
export const BOARD_EMPTY: BudgetBoard = { ...BOARD, budgets: [] };

/** A Slack destination that delivered 10 minutes ago, at most one alert every 5 minutes. */
export const SLACK_SINK: SinkView = {
  id: 3,
  name: "Team Slack",
  kind: "slack",
  target: "hooks.slack.com",
  cooldownSecs: 300,
  lastSentMs: NOW_MS - 10 * 60_000,
  lastError: null,
  proxy: null,
};

/** An email destination whose last delivery failed; no cooldown. */
export const EMAIL_SINK: SinkView = {
  id: 4,
  name: "On-call mail",
  kind: "email",
  target: "oncall@example.com via smtp.example.com",
  cooldownSecs: 0,
  lastSentMs: NOW_MS - 2 * HOUR_MS,
  lastError: "SMTP 535: authentication failed",
  proxy: null,
};

/** Two alert destinations, oldest first. */
export const SINKS: SinkView[] = [SLACK_SINK, EMAIL_SINK];

/** What the Add destination dialog sends for a Slack webhook. */
export const SLACK_DRAFT: SinkDraft = {
  name: "Team Slack",
  config: { kind: "slack", webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX" },
  cooldownSecs: 300,
  proxy: null,
};

/** The rule every install starts with: a runaway tool loop, alert only. */
export const DEFAULT_ANOMALY: Anomaly = {
  id: 1,
  rule: { kind: "runawayLoop", repeats: 10 },
  action: "alert",
  problem: null,
};

/** A session costing more than $5 pauses that session. */
export const SESSION_COST_ANOMALY: Anomaly = {
  id: 2,
  rule: { kind: "sessionCost", usd: 5 },
  action: "pause",
  problem: null,
};

/** The default rule and a costly-session rule. */
export const ANOMALIES: Anomaly[] = [DEFAULT_ANOMALY, SESSION_COST_ANOMALY];

/**
 * A running router with a healthy OpenAI-compatible provider, an Anthropic one whose key is
 * missing from the environment, and one whose key router.toml keeps in the OS keyring (not
 * stored yet).
 */
export const ROUTER_RUNNING: RouterStatus = {
  state: "running",
  configPath: "/home/me/.local/share/clawtower/router.toml",
  endpoint: "http://127.0.0.1:8090/v1",
  error: null,
  providers: [
    {
      id: "openrouter",
      kind: "openai",
      baseUrl: "https://openrouter.ai/api/v1",
      models: ["openai/gpt-5-mini"],
      disabled: null,
      keyring: null,
      circuit: "closed",
      openUntilMs: null,
    },
    {
      id: "anthropic",
      kind: "anthropic",
      baseUrl: "https://api.anthropic.com/v1",
      models: ["claude-sonnet-4-5"],
      disabled: "the environment variable ANTHROPIC_API_KEY is not set",
      keyring: null,
      circuit: "closed",
      openUntilMs: null,
    },
    {
      id: "deepseek",
      kind: "openai",
      baseUrl: "https://api.deepseek.com/v1",
      models: ["deepseek-chat"],
      disabled:
        'no key named "deepseek" in the OS keyring: store it on the Router page or with `clawtower router provider-key set deepseek`',
      keyring: "deepseek",
      circuit: "closed",
      openUntilMs: null,
    },
  ],
  aliases: ["fast"],
  rules: [],
};

/** No router.toml yet. */
export const ROUTER_OFF: RouterStatus = {
  state: "off",
  configPath: "/home/me/.local/share/clawtower/router.toml",
  endpoint: null,
  error: null,
  providers: [],
  aliases: [],
  rules: [],
};

/** One key for the coder agent, at most 60 requests a minute. */
export const CODER_KEY: KeyView = {
  id: 1,
  name: "coder",
  agentId: "coder",
  prefix: "ctk-AbCdEf",
  models: [],
  expiresMs: null,
  createdMs: Date.UTC(2026, 11, 1),
  revokedMs: null,
  limits: { rpm: 60, tpm: null, maxParallel: null, budgetId: null },
};

/** OpenClaw's `stub` provider, routed through the router. */
export const ROUTED_STUB: Attachment = {
  provider: "stub",
  gatewayUrl: "ws://127.0.0.1:18789",
  kind: "openai",
  upstream: "http://127.0.0.1:9001/v1",
  originalBaseUrl: "http://127.0.0.1:9001/v1",
  hadHeaders: false,
  keyId: 7,
  confirmed: true,
  sinceMs: Date.UTC(2026, 11, 3, 9),
  knowsSessions: true,
};

/** What attach leaves alone in the fake backend. */
export const ROUTING_SKIPPED: SkippedProvider[] = [
  { provider: "gemini", reason: 'its API "google-generative-ai" is not one the router speaks' },
];

/** The default agent, busy. */
export const MAIN_AGENT: AgentRow = {
  id: "main",
  name: "main",
  emoji: "🦞",
  model: "anthropic/claude-sonnet-4-5",
  workspace: "/home/me/.openclaw/workspace",
  isDefault: true,
  running: true,
  sessions: 12,
  lastActivityMs: Date.UTC(2026, 11, 3, 8, 55),
  spendTodayUsd: 1.25,
  spendTotalUsd: 48.5,
  identity: "main",
};

/** A second agent, idle. */
export const RESEARCH_AGENT: AgentRow = {
  id: "research",
  name: "Research",
  emoji: null,
  model: null,
  workspace: "/home/me/.openclaw/workspace-research",
  isDefault: false,
  running: false,
  sessions: 3,
  lastActivityMs: Date.UTC(2026, 11, 2, 17, 0),
  spendTodayUsd: 0,
  spendTotalUsd: 7.1,
  identity: "research",
};

/** An archived agent. */
export const OPS_ARCHIVE: ArchiveView = {
  id: "ops-20261201T090000Z",
  agentId: "ops",
  name: "ops",
  model: "stub/stub-model",
  archivedMs: Date.UTC(2026, 11, 1, 9),
  state: "archived",
  cronJobs: 1,
  files: ["/home/me/.openclaw/workspace-ops", "/home/me/.openclaw/agents/ops"],
  restoredAs: null,
};

/** One audit log entry. */
export const ARCHIVED_ENTRY: AuditEntry = {
  id: 1,
  tsMs: Date.UTC(2026, 11, 1, 9),
  actor: "cli",
  action: "agent.archive",
  target: "ops",
  result: "ok",
  detail: "archive ops-20261201T090000Z",
};

/** A daily cron job of main. */
export const DAILY_JOB: CronRow = {
  id: "job-1",
  name: "Daily digest",
  agentId: "main",
  enabled: true,
  schedule: { kind: "cron", expr: "0 9 * * *", tz: "Europe/Berlin" },
  scheduleWords: "every day at 09:00 (Europe/Berlin)",
  message: "Summarize yesterday",
  nextRunMs: Date.UTC(2026, 11, 4, 8),
  lastRunMs: Date.UTC(2026, 11, 3, 8),
  lastStatus: "ok",
  lastDurationMs: 4200,
  lastError: null,
  system: false,
};

/** OpenClaw's own heartbeat job. */
export const HEARTBEAT_JOB: CronRow = {
  ...DAILY_JOB,
  id: "heartbeat-main",
  name: "heartbeat",
  schedule: null,
  scheduleWords: "on heartbeat",
  message: null,
  lastStatus: null,
  system: true,
};

/** One run of the daily job. */
export const DAILY_RUN: CronRunRow = {
  runAtMs: Date.UTC(2026, 11, 3, 8),
  durationMs: 4200,
  status: "ok",
  summary: "Here is yesterday in three lines",
  sessionKey: "agent:main:cron:job-1:run:abc",
  calls: 2,
  tokens: 12040,
  costUsd: 0.0412,
};

/** Router activity: calls of each outcome (one refused before it was sent), spend per provider and key. */
export const ROUTER_ACTIVITY: RouterActivity = {
  recent: [
    { tsMs: Date.UTC(2026, 11, 3, 9, 5), keyId: 1, agentId: "coder", provider: "openrouter", model: "openai/gpt-5-mini", outcome: "failed", tokens: 0, costUsd: 0, error: "HTTP 503", status: 503, route: "auto -> openrouter/openai/gpt-5-mini", upstreamMs: 212.4, overheadMs: null },
    { tsMs: Date.UTC(2026, 11, 3, 9, 4), keyId: 1, agentId: "coder", provider: "openrouter", model: "openai/gpt-5-mini", outcome: "ok", tokens: 1520, costUsd: 0.0031, error: null, status: 200, route: "auto -> openrouter/openai/gpt-5-mini after openrouter: HTTP 503", upstreamMs: 1840, overheadMs: 0.42 },
    { tsMs: Date.UTC(2026, 11, 3, 9, 3), keyId: 1, agentId: "coder", provider: "openrouter", model: "openai/gpt-5-mini", outcome: "incomplete", tokens: 400, costUsd: 0.0008, error: "the client went away before the end of the stream", status: null, route: null, upstreamMs: null, overheadMs: null },
    { tsMs: Date.UTC(2026, 11, 3, 9, 2), keyId: 1, agentId: "ops", provider: "", model: "openai/gpt-5-mini", outcome: "refused", tokens: 0, costUsd: 0, error: "Budget “Ops daily” is paused: $5.00 of $5.00 spent", status: 400, route: null, upstreamMs: null, overheadMs: null },
  ],
  today: [{ provider: "openrouter", keyId: 1, calls: 12, tokens: 40210, costUsd: 0.42 }],
  month: [
    { provider: "openrouter", keyId: 1, calls: 310, tokens: 1_204_000, costUsd: 9.1 },
    { provider: "anthropic", keyId: null, calls: 4, tokens: 9000, costUsd: 0.2 },
  ],
};

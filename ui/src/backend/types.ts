import type { COMMAND_TABLE } from "./commandTable";
import type {
  commands,
  Activity_Serialize as Activity,
  ChangedSessions,
  ExportFormat,
  AgentDraft_Deserialize as AgentDraft,
  AgentEdit_Deserialize as AgentEdit,
  AgentRow_Serialize as AgentRow,
  Alert_Serialize as Alert,
  Anomaly_Serialize as Anomaly,
  AnomalyDraft,
  AnomalyRules_Serialize as AnomalyRules,
  AppInfo,
  ArchiveView_Serialize as ArchiveView,
  AuditEntry_Serialize as AuditEntry,
  Budget,
  BudgetBoard_Serialize as BudgetBoard,
  BudgetDraft,
  CreatedKey_Serialize as CreatedKey,
  CronDraft_Deserialize as CronDraft,
  CronRow_Serialize as CronRow,
  CronRunRow_Serialize as CronRunRow,
  DoctorReport_Serialize as DoctorReport,
  GatewayCredential,
  GatewayDraft_Deserialize as GatewayDraft,
  GatewayStatus_Serialize as GatewayStatus,
  KeyDraft_Deserialize as KeyDraft,
  KeyView_Serialize as KeyView,
  PauseView_Serialize as PauseView,
  Restored,
  RouterActivity_Serialize as RouterActivity,
  RouterStatus_Serialize as RouterStatus,
  RouteThrough,
  SchedulePreview_Serialize as SchedulePreview,
  SessionChange_Deserialize as SessionChange,
  SessionState_Serialize as SessionState,
  SessionPage_Serialize as SessionPage,
  SessionQuery_Deserialize as SessionQuery,
  SessionTree_Serialize as SessionTree,
  Settings,
  SinkDraft_Deserialize as SinkDraft,
  SinkView_Serialize as SinkView,
  SpendPeriod,
  SpendSummary,
  Theme,
  Timeline_Serialize as Timeline,
  TimelineEntry_Serialize as TimelineEntry,
  TopSpend,
  UsageExportFormat,
  UsageQuery_Deserialize as UsageQuery,
  UsageView_Serialize as UsageView,
} from "./bindings";

/**
 * The domain types, as generated from Rust (see docs/ipc-contract.md). For types the backend only
 * sends, tauri-specta emits `_Serialize`/`_Deserialize` variants; the UI receives the former.
 */
export type {
  Activity_Serialize as Activity,
  ChangedSessions,
  ExportFormat,
  AgentDraft_Deserialize as AgentDraft,
  AgentEdit_Deserialize as AgentEdit,
  AgentFound_Serialize as AgentFound,
  AgentRow_Serialize as AgentRow,
  Alert_Serialize as Alert,
  AlertKind,
  Anomaly_Serialize as Anomaly,
  AnomalyDraft,
  AnomalyRules_Serialize as AnomalyRules,
  AnomalyRule,
  ApiError as AppError,
  AppInfo,
  ArchiveState,
  ArchiveView_Serialize as ArchiveView,
  Attachment,
  AuditEntry_Serialize as AuditEntry,
  Budget,
  BudgetAction,
  BudgetBoard_Serialize as BudgetBoard,
  BudgetDraft,
  BudgetLevel,
  BudgetScope,
  BudgetStatus_Serialize as BudgetStatus,
  BudgetWindow,
  CheckStatus,
  CreatedKey_Serialize as CreatedKey,
  CredentialKind,
  CronDraft_Deserialize as CronDraft,
  CronRow_Serialize as CronRow,
  CronRunRow_Serialize as CronRunRow,
  DoctorCheck_Serialize as DoctorCheck,
  DoctorReport_Serialize as DoctorReport,
  ErrorCode,
  GatewayCredential,
  GatewayDraft_Deserialize as GatewayDraft,
  GatewayEntry_Serialize as GatewayEntry,
  GatewayStatus_Serialize as GatewayStatus,
  KeyDraft_Deserialize as KeyDraft,
  KeyLimits_Deserialize as KeyLimits,
  KeyView_Serialize as KeyView,
  PauseView_Serialize as PauseView,
  ProviderKind,
  ProviderStatus_Serialize as ProviderStatus,
  Restored,
  RoutedCallView_Serialize as RoutedCallView,
  RoutedSpend_Serialize as RoutedSpend,
  RouterActivity_Serialize as RouterActivity,
  RouterRunState,
  RouterStatus_Serialize as RouterStatus,
  RouteThrough,
  Schedule_Deserialize as Schedule,
  SchedulePreview_Serialize as SchedulePreview,
  SessionChange_Deserialize as SessionChange,
  SessionKindName,
  SessionPage_Serialize as SessionPage,
  SessionQuery_Deserialize as SessionQuery,
  SessionRow_Serialize as SessionRow,
  SessionSort,
  SessionState_Serialize as SessionState,
  SessionStatus,
  SessionTree_Serialize as SessionTree,
  Settings,
  SinkConfig_Deserialize as SinkConfig,
  SinkDraft_Deserialize as SinkDraft,
  SinkView_Serialize as SinkView,
  SkippedProvider,
  SpendPeriod,
  SpendSummary,
  SpendUpdated,
  StorageLayout,
  Theme,
  Timeline_Serialize as Timeline,
  TimelineEntry_Serialize as TimelineEntry,
  EntryKind as TimelineEntryKind,
  CallDetail_Serialize as CallDetail,
  ToolDetail_Serialize as ToolDetail,
  Generation_Serialize as Generation,
  Granularity,
  Period as UsagePeriod,
  Stack as UsageStack,
  Totals as UsageTotals,
  UsageDimension,
  UsageExportFormat,
  UsageQuery_Deserialize as UsageQuery,
  UsageRow_Serialize as UsageRow,
  UsageView_Serialize as UsageView,
  TreeNode_Serialize as TreeNode,
  AnnounceRun,
  TopEntry,
  TopSpend,
  UnreadableRule,
} from "./bindings";
export { BackendError, type BackendErrorCode } from "./error";

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * Everything the UI can ask the backend. Implemented over Tauri IPC (`tauri.ts`) and over
 * HTTP for `clawtower serve` (`http.ts`). Methods resolve with data or reject with a
 * `BackendError`.
 */
export interface Backend {
  readonly kind: "tauri" | "http";
  appInfo(): Promise<AppInfo>;
  spendSummary(): Promise<SpendSummary>;
  /** The top (at most 5) agents, models and sessions of the period, most expensive first. */
  topSpend(period: SpendPeriod): Promise<TopSpend>;
  doctor(): Promise<DoctorReport>;
  /**
   * Every followed gateway (the local one from openclaw.json first, then those added by URL) with
   * its connection state (`connecting`, `live` or `error`); empty when there is none. Never fails.
   */
  gateways(): Promise<GatewayStatus[]>;
  /**
   * Follows another gateway by URL; resolves with every gateway (the new one connecting). An
   * INVALID_INPUT rejection (bad URL, already followed, empty secret, plain `ws://` to a public
   * host without `allowUnencrypted`) carries a sentence to show the user.
   */
  addGateway(draft: GatewayDraft): Promise<GatewayStatus[]>;
  /**
   * Stops following an added gateway (not the local one); resolves with every gateway. It can be
   * restored for an hour ({@link Backend.restoreGateway}). INVALID_INPUT, with a sentence to show,
   * while budgets hold it paused.
   */
  removeGateway(id: number): Promise<GatewayStatus[]>;
  /** Undoes a removal (within an hour); resolves with every gateway. */
  restoreGateway(id: number): Promise<GatewayStatus[]>;
  /**
   * Sets the token or password Clawtower sends to a gateway, or forgets the entered one (`null`:
   * the local gateway then uses openclaw.json's again); its connection restarts. Resolves with
   * every gateway; the secret is never sent back.
   */
  setGatewayCredential(id: number, credential: GatewayCredential | null): Promise<GatewayStatus[]>;
  getSettings(): Promise<Settings>;
  setTheme(theme: Theme): Promise<Settings>;
  setLaunchAtLogin(enabled: boolean): Promise<Settings>;
  /** Every budget with where it stands, and the pauses holding now. */
  budgetBoard(): Promise<BudgetBoard>;
  /**
   * Creates a budget (`id` null) or changes one; resolves with it as stored. An INVALID_INPUT
   * rejection carries a sentence to show the user.
   */
  saveBudget(id: number | null, draft: BudgetDraft): Promise<Budget>;
  /** Removes a budget; resolves with the removed one, for {@link Backend.restoreBudget}. */
  removeBudget(id: number): Promise<Budget>;
  /** Undoes a removal. */
  restoreBudget(budget: Budget): Promise<null>;
  /** The latest alerts, newest first. */
  alerts(): Promise<Alert[]>;
  /** Acknowledges one alert, or every alert when `id` is null; the new count comes with `budget-board-changed`. */
  acknowledgeAlerts(id: number | null): Promise<null>;
  /**
   * Pauses everything now, through the gateway budgets pause (`controlled`); rejects with GATEWAY
   * when there is no gateway or it cannot be reached.
   */
  pauseAll(): Promise<PauseView>;
  /** Lifts every pause; a returned pause with `problems` was not fully undone. */
  resumeAll(): Promise<PauseView[]>;
  /** Where alerts go besides the desktop, oldest first; secrets are never returned. */
  alertSinks(): Promise<SinkView[]>;
  /**
   * Adds an alert destination; resolves with it as stored (secrets left out). An INVALID_INPUT
   * rejection carries a sentence to show the user.
   */
  addAlertSink(draft: SinkDraft): Promise<SinkView>;
  /** Removes an alert destination for good (its secrets were never returned, so it cannot be restored). */
  removeAlertSink(id: number): Promise<null>;
  /** Sends a test alert now (it can take up to 10 s); resolves with null when delivered, else why it was not. */
  testAlertSink(id: number): Promise<string | null>;
  /**
   * Every anomaly rule (the runaway-loop rule ships enabled), and each stored one this build
   * cannot read (damaged, or from a newer Clawtower), with why: skipped, removable.
   */
  anomalyRules(): Promise<AnomalyRules>;
  /** Adds an anomaly rule; resolves with it as stored. INVALID_INPUT when a number is out of range. */
  addAnomalyRule(draft: AnomalyDraft): Promise<Anomaly>;
  /** Removes an anomaly rule (add the same draft back to undo). */
  removeAnomalyRule(id: number): Promise<null>;
  /**
   * Whether the model router runs (`off`: no router.toml in the data dir; `failed`: `error` says
   * why), where agents send calls, and each provider's health.
   */
  routerStatus(): Promise<RouterStatus>;
  /**
   * Stores the API key of a provider whose key router.toml keeps in the OS keyring (its
   * `keyring` name); the running router uses it from the next call. Resolves with the router's
   * status after. NOT_FOUND, INVALID_INPUT (not kept in the keyring, empty key) or IO (the
   * keyring cannot be used), each with why.
   */
  storeProviderKey(provider: string, key: string): Promise<RouterStatus>;
  /** Every router key, newest first; never the key itself. */
  routerKeys(): Promise<KeyView[]>;
  /**
   * Makes a router key for an agent; resolves with the key itself (shown this once, never again)
   * and its row. INVALID_INPUT (empty agent, a limit of 0) carries a sentence to show.
   */
  createRouterKey(draft: KeyDraft): Promise<CreatedKey>;
  /** Revokes a router key: calls with it are refused from now on. */
  revokeRouterKey(id: number): Promise<KeyView>;
  /** The latest calls through the router (24 h), and spend per provider and key today and this month. */
  routerActivity(): Promise<RouterActivity>;
  /** The OpenClaw providers routed through the router now (`skipped` and `notes` empty). */
  routerAttachments(): Promise<RouteThrough>;
  /**
   * Routes the local gateway's providers through the running router, in one change OpenClaw
   * applies or refuses whole; resolves with those routed and those left alone (with why).
   * INVALID_INPUT when the router is not running; GATEWAY when OpenClaw refused (nothing changed).
   */
  attachRouter(): Promise<RouteThrough>;
  /** Puts OpenClaw's providers back exactly; `notes` says what was changed since and kept. */
  detachRouter(): Promise<RouteThrough>;
  /** Every agent of the local gateway with its live status, sessions and spend. GATEWAY when unreachable. */
  agents(): Promise<AgentRow[]>;
  /** Creates an agent; resolves with its id. INVALID_INPUT / GATEWAY carry a sentence to show. */
  createAgent(draft: AgentDraft): Promise<string>;
  /** Changes an agent's name, model or emoji. */
  editAgent(id: string, edit: AgentEdit): Promise<null>;
  /**
   * Archives an agent (recoverable): runs aborted, cron jobs and config saved, removed from the
   * gateway, files moved into the archive. Calling it again completes one that stopped.
   */
  archiveAgent(id: string): Promise<ArchiveView>;
  /** Restores an archived agent (`<name>-2` when its name is taken); `newKeys` are shown once. */
  restoreAgent(archive: string): Promise<Restored>;
  /** Deletes an archive for good; `confirm` must be the agent's name (INVALID_INPUT otherwise). */
  purgeArchive(archive: string, confirm: string): Promise<null>;
  /** Every archived agent, newest first. */
  archivedAgents(): Promise<ArchiveView[]>;
  /** The latest lifecycle actions, newest first. */
  auditLog(): Promise<AuditEntry[]>;
  /**
   * Every session matching the filters, a page of them (at most 500; INVALID_INPUT above), with
   * the agents, models and channels the filters can choose from.
   */
  sessions(query: SessionQuery): Promise<SessionPage>;
  /**
   * A session's timeline: every entry of every transcript generation, texts cut at 2,000
   * characters (`fullChars` set). NOT_FOUND when OpenClaw keeps no transcript for it.
   */
  sessionTimeline(key: string): Promise<Timeline>;
  /**
   * The first `count` entries of {@link Backend.sessionTimeline}'s answer, read from the
   * transcripts' heads: `totalEntries` is null while more follow.
   */
  sessionTimelineStart(key: string, count: number): Promise<Timeline>;
  /**
   * {@link Backend.sessionTimeline}'s entries from index `from` on (`offset` = `from`) when the
   * entry before is still `afterId`, else the whole timeline (`offset` 0): what a window showing
   * a growing session reads again.
   */
  sessionTimelineSince(key: string, from: number, afterId: string | null): Promise<Timeline>;
  /** One timeline entry with its whole text; NOT_FOUND for an unknown id. */
  sessionEntry(key: string, id: string): Promise<TimelineEntry>;
  /** The sub-agent tree the session belongs to, depth first, costs rolled up. */
  sessionTree(key: string): Promise<SessionTree>;
  /** The whole session (no text cut) as JSON or Markdown, to save with {@link Backend.saveFile}. */
  sessionExport(key: string, format: ExportFormat): Promise<string>;
  /**
   * Usage and cost in a window of local days (the engine's zone): the series stacked by model,
   * agent, provider or channel, the tables, cache savings, unpriced reasons and a "what if".
   * INVALID_INPUT for a bad window or an unpriced "what if" model.
   */
  usage(query: UsageQuery): Promise<UsageView>;
  /** The usage view's tables as CSV, or the view as JSON, to save with {@link Backend.saveFile}. */
  usageExport(query: UsageQuery, format: UsageExportFormat): Promise<string>;
  /** Every model the price book prices: what a "what if" may name. */
  priceModels(): Promise<string[]>;
  /** Stops a session's running turn and its queued ones; whether one was running. */
  abortSession(key: string): Promise<boolean>;
  /** Starts a new transcript for a session (OpenClaw keeps the old one). */
  resetSession(key: string): Promise<null>;
  /** Deletes a session (OpenClaw archives its transcript; the ledger keeps its calls). */
  deleteSession(key: string): Promise<null>;
  /** Labels, pins or archives a session in OpenClaw. */
  changeSession(key: string, change: SessionChange): Promise<null>;
  /** What OpenClaw holds on a session now (label, pinned, archived); null when it has none. */
  sessionState(key: string): Promise<SessionState | null>;
  /** Kills a sub-agent and every session it spawned; how many runs were stopped. */
  killSession(key: string): Promise<number>;
  /** Aborts every running turn of an agent; how many were stopped. */
  abortAgent(id: string): Promise<number>;
  /** Every cron job, switched-off ones included. */
  crons(): Promise<CronRow[]>;
  /** Makes a cron job; INVALID_INPUT says what is wrong with its schedule. Resolves with its id. */
  addCron(draft: CronDraft): Promise<string>;
  /** Changes a cron job (the same checks). */
  editCron(id: string, draft: CronDraft): Promise<null>;
  /** Switches a cron job on or off. */
  setCronEnabled(id: string, enabled: boolean): Promise<null>;
  /** Runs a cron job now; the run id. */
  runCron(id: string): Promise<string | null>;
  /** Removes a cron job. */
  removeCron(id: string): Promise<null>;
  /** A cron job's latest runs with their calls, tokens and cost. */
  cronRuns(id: string): Promise<CronRunRow[]>;
  /**
   * A schedule checked as OpenClaw runs it, in words, with its time zone and next five runs;
   * `job`: the job being changed (its id sets the delay OpenClaw staggers top-of-hour runs by).
   */
  cronPreview(schedule: CronDraft["schedule"], job: string | null): Promise<SchedulePreview>;
  /** Calls `cb` each time the ledger changes; resolves with a function that stops listening. */
  onSpendUpdated(cb: (summary: SpendSummary) => void): Promise<Unsubscribe>;
  /**
   * Calls `cb` with every gateway each time one is added or removed or its connection changes
   * state; resolves with a function that stops listening.
   */
  onGateways(cb: (all: GatewayStatus[]) => void): Promise<Unsubscribe>;
  /**
   * Calls `cb` each time budgets, their figures, pauses or the number of unacknowledged alerts
   * change (so after each budget, pause, resume or acknowledge command that changed them);
   * resolves with a function that stops listening.
   */
  onBudgetBoardChanged(cb: (board: BudgetBoard) => void): Promise<Unsubscribe>;
  /**
   * Calls `cb` each time an alert is recorded (fetch {@link Backend.alerts} again); resolves with
   * a function that stops listening.
   */
  onAlertsChanged(cb: () => void): Promise<Unsubscribe>;
  /**
   * Calls `cb` when the model router stored calls or refusals (fetch {@link Backend.routerActivity}
   * again); at most about once a second while calls flow.
   */
  onRouterActivityChanged(cb: () => void): Promise<Unsubscribe>;
  /** Calls `cb` when transcripts got new entries: which sessions (or `many`, an import). */
  onSessionsChanged(cb: (changed: ChangedSessions) => void): Promise<Unsubscribe>;
  /** Calls `cb` for each live item from a gateway (run started or ended, tool, cron run, sub-agent). */
  onGatewayActivity(cb: (item: Activity) => void): Promise<Unsubscribe>;
  /** Opens an http(s) or mailto link outside the app: the system browser, or a new tab. */
  openLink(url: string): Promise<void>;
  /**
   * Saves `content` as a file the user picks (the native save dialog in the app, the browser's
   * download otherwise); `false` when the user cancelled.
   */
  saveFile(name: string, content: string, extension: string): Promise<boolean>;
}

/** `true` when `A` and `B` are the same union, else `never`. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/**
 * Compiles only while {@link Backend} has exactly one method per command of the Rust command
 * list (the generated `commands`), besides the events and what the host does itself (opening a
 * link, saving a file): a command added there and not here, or the reverse, fails the typecheck.
 */
export const backendCoversEveryCommand: Same<
  keyof typeof commands,
  Exclude<keyof Backend, "kind" | `on${string}` | "openLink" | "saveFile">
> = true;

/** A generated command as the UI calls it: the same arguments, resolving with its data. */
type AsCalled<F> = F extends (...args: infer A) => Promise<{ status: "ok"; data: infer T } | { status: "error"; error: unknown }>
  ? (...args: A) => Promise<T>
  : never;

/** `true` when a Backend method and the generated command take and give the same, else `false`. */
type SameCall<M, C> = [M] extends [C] ? ([C] extends [M] ? true : false) : false;

/** The commands whose {@link Backend} method does not take and give exactly what they do. */
type MismatchedCommands = {
  [K in keyof typeof commands]: [SameCall<Backend[K], AsCalled<(typeof commands)[K]>>] extends [true] ? never : K;
}[keyof typeof commands];

/**
 * Compiles only while each of {@link Backend}'s command methods takes exactly the generated
 * command's arguments and resolves with exactly its data: a Rust signature changed and not here
 * (or the reverse) fails the typecheck, method by method.
 */
export const backendMatchesEveryCommand: Same<MismatchedCommands, never> = true;

/** Likewise for the generated command table the HTTP backend calls every command through. */
export const commandTableCoversEveryCommand: Same<keyof typeof commands, keyof typeof COMMAND_TABLE> = true;

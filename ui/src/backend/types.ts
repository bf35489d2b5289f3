import type {
  AppInfo,
  DoctorReport_Serialize as DoctorReport,
  GatewayStatus_Serialize as GatewayStatus,
  Settings,
  SpendPeriod,
  SpendSummary,
  Theme,
  TopSpend,
} from "./bindings";

/**
 * The domain types, as generated from Rust (see docs/ipc-contract.md). For types the backend only
 * sends, tauri-specta emits `_Serialize`/`_Deserialize` variants; the UI receives the former.
 */
export type {
  AgentFound_Serialize as AgentFound,
  AppError,
  AppInfo,
  CheckStatus,
  DoctorCheck_Serialize as DoctorCheck,
  DoctorReport_Serialize as DoctorReport,
  ErrorCode,
  GatewayStatus_Serialize as GatewayStatus,
  Settings,
  SpendPeriod,
  SpendSummary,
  SpendUpdated,
  StorageLayout,
  Theme,
  TopEntry,
  TopSpend,
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
  /** The gateway connection (`none`, `connecting`, `live` or `error`); the command never fails. */
  gatewayStatus(): Promise<GatewayStatus>;
  getSettings(): Promise<Settings>;
  setTheme(theme: Theme): Promise<Settings>;
  setLaunchAtLogin(enabled: boolean): Promise<Settings>;
  /** Calls `cb` each time the ledger changes; resolves with a function that stops listening. */
  onSpendUpdated(cb: (summary: SpendSummary) => void): Promise<Unsubscribe>;
  /** Calls `cb` each time the gateway connection changes state; resolves with a function that stops listening. */
  onGatewayStatus(cb: (status: GatewayStatus) => void): Promise<Unsubscribe>;
}

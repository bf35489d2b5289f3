import type { AppInfo, DoctorReport, Settings, SpendSummary } from "../backend";

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

import type { BackendErrorCode, CheckStatus, StorageLayout } from "../backend";

const STORAGE_LABELS: Record<StorageLayout, string> = {
  sqlite: "SQLite",
  "legacy-jsonl": "Legacy JSONL",
  mixed: "Mixed (SQLite + JSONL)",
  none: "None found",
};

/** Human label for an OpenClaw storage layout. */
export function storageLabel(layout: StorageLayout): string {
  return STORAGE_LABELS[layout] ?? layout;
}

const STATUS_LABELS: Record<CheckStatus, string> = {
  ok: "OK",
  warn: "Warning",
  missing: "Missing",
  error: "Error",
};

/** Human label for a doctor check status. */
export function checkStatusLabel(status: CheckStatus): string {
  return STATUS_LABELS[status] ?? status;
}

// Partial on purpose: a code added on the Rust side must not break the UI build.
const ERROR_TITLES: Partial<Record<BackendErrorCode, string>> = {
  STORE_UNAVAILABLE: "The spend ledger is unavailable",
  IO: "A file could not be read or written",
  AUTOSTART: "Launch at login could not be changed",
  INVALID_INPUT: "The request was rejected",
  INTERNAL: "Something went wrong",
  UNREACHABLE: "Can't reach Clawtower",
  UNAUTHORIZED: "Not signed in",
  CROSS_ORIGIN: "Refused: the call came from another site",
  HOST: "Refused: this server does not answer to that address",
  NOT_FOUND: "It no longer exists",
  GATEWAY: "The OpenClaw gateway is unavailable",
};

/** Short headline for an error code; a generic one for codes this UI does not know. */
export function errorTitle(code: BackendErrorCode): string {
  return ERROR_TITLES[code] ?? "Something went wrong";
}

const ERROR_HINTS: Partial<Record<BackendErrorCode, string>> = {
  UNREACHABLE: "Check that `clawtower serve` is still running, then retry.",
  UNAUTHORIZED: "Open the link printed by `clawtower serve` again: it carries a fresh token.",
  HOST: "Open Clawtower at the address `clawtower serve` printed, or start it with --name for this one.",
  STORE_UNAVAILABLE: "Clawtower could not open its database. It retries on its own; you can also retry now.",
};

/** Optional advice shown under an error, for codes where the user can do something. */
export function errorHint(code: BackendErrorCode): string | undefined {
  return ERROR_HINTS[code];
}

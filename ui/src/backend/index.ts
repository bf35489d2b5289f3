import { createHttpBackend } from "./http";
import { createTauriBackend } from "./tauri";
import { takeToken } from "./token";
import type { Backend } from "./types";

export { BackendProvider, useBackend } from "./context";
export * from "./types";
export { toBackendError } from "./error";

/** Whether the page runs inside the Tauri webview. */
export function isTauri(win: Window = window): boolean {
  return "__TAURI_INTERNALS__" in win;
}

/**
 * Builds the Backend for this page: Tauri IPC inside the desktop app, otherwise HTTP against
 * the page's own origin (`clawtower serve`) with the token from `#token=…` or sessionStorage.
 */
export function createBackend(win: Window = window): Backend {
  if (isTauri(win)) return createTauriBackend();
  return createHttpBackend({ baseUrl: win.location.origin, token: takeToken(win) });
}

let current: Backend | undefined;

/** The process-wide Backend, created on first use. */
export function getBackend(): Backend {
  current ??= createBackend();
  return current;
}

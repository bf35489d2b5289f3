import type { Theme } from "../backend";

const KEY = "clawtower.theme";
const THEMES: readonly Theme[] = ["system", "light", "dark"];

/**
 * The last theme the backend confirmed, kept in localStorage so the first paint uses it
 * instead of flashing the OS scheme while `getSettings()` is in flight.
 */
export function readCachedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return THEMES.find((t) => t === value) ?? "system";
  } catch {
    return "system";
  }
}

/** Remembers `theme` for the next start (see {@link readCachedTheme}). */
export function writeCachedTheme(theme: Theme): void {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Storage unavailable: only the first paint is affected.
  }
}

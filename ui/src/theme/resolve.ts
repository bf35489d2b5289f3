import type { Theme } from "../backend";

/** A theme as actually painted. */
export type ResolvedTheme = "light" | "dark";

/** The user's preference resolved against the OS colour scheme. */
export function resolveTheme(preference: Theme, system: ResolvedTheme): ResolvedTheme {
  return preference === "system" ? system : preference;
}

/**
 * Paints `theme` by setting `data-theme` on <html> (the CSS tokens key off it). Transitions are
 * suspended for the swap so every colour changes in the same frame.
 */
export function applyTheme(theme: ResolvedTheme, doc: Document = document): void {
  const root = doc.documentElement;
  if (root.dataset.theme === theme) return;
  root.classList.add("theme-switching");
  root.dataset.theme = theme;
  // Force a style recalc with transitions off, then turn them back on.
  void doc.defaultView?.getComputedStyle(root).color;
  setTimeout(() => root.classList.remove("theme-switching"), 0);
}

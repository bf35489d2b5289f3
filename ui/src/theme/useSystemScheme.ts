import { useSyncExternalStore } from "react";
import type { ResolvedTheme } from "./resolve";

const QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const mql = window.matchMedia(QUERY);
  mql.addEventListener("change", onChange);
  return () => mql.removeEventListener("change", onChange);
}

function getSnapshot(): ResolvedTheme {
  return window.matchMedia(QUERY).matches ? "dark" : "light";
}

function getServerSnapshot(): ResolvedTheme {
  return "light";
}

/** The OS colour scheme, re-rendering live when the user switches it. */
export function useSystemScheme(): ResolvedTheme {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

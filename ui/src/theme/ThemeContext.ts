import { createContext, useContext } from "react";
import type { BackendError, Theme } from "../backend";
import type { ResolvedTheme } from "./resolve";

/** What {@link useTheme} exposes. */
export interface ThemeState {
  /** The user's preference. */
  theme: Theme;
  /** What is painted right now. */
  resolved: ResolvedTheme;
  /** Applies `theme` at once and saves it; rolls back and sets `error` if the backend refuses. */
  setTheme: (theme: Theme) => void;
  /** Why the last theme change could not be saved. */
  error: BackendError | null;
}

/** Carries the theme from `ThemeProvider` to {@link useTheme}. */
export const ThemeContext = createContext<ThemeState | null>(null);

/** The current theme and a setter; needs a `ThemeProvider` above. */
export function useTheme(): ThemeState {
  const state = useContext(ThemeContext);
  if (!state) throw new Error("useTheme() must be used inside <ThemeProvider>");
  return state;
}

import { useCallback, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { useBackend, type Theme } from "../backend";
import { useSavedSetting } from "../hooks/useSavedSetting";
import { readCachedTheme, writeCachedTheme } from "./cache";
import { applyTheme, resolveTheme } from "./resolve";
import { ThemeContext } from "./ThemeContext";
import { useSystemScheme } from "./useSystemScheme";

/**
 * Loads the theme preference from the backend at start, paints it on <html>, follows the OS
 * scheme live when the preference is "system", and provides {@link useTheme}.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const load = useCallback(() => backend.getSettings().then((s) => s.theme), [backend]);
  const save = useCallback((theme: Theme) => backend.setTheme(theme).then((s) => s.theme), [backend]);
  const setting = useSavedSetting(load, save);
  // Until the backend answers (or if it cannot), use the theme confirmed on the last run.
  const [cached] = useState(readCachedTheme);
  const theme = setting.value ?? cached;
  const system = useSystemScheme();
  const resolved = resolveTheme(theme, system);

  useLayoutEffect(() => applyTheme(resolved), [resolved]);

  const confirmed = setting.state.status === "ready" ? setting.state.data : undefined;
  useEffect(() => {
    if (confirmed) writeCachedTheme(confirmed);
  }, [confirmed]);

  const { set: setTheme, error } = setting;
  const value = useMemo(() => ({ theme, resolved, setTheme, error }), [theme, resolved, setTheme, error]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

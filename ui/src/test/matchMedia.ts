/** Handle to flip the fake OS colour scheme. */
export interface FakeColorScheme {
  setDark(dark: boolean): void;
}

/** Installs a `window.matchMedia` whose `(prefers-color-scheme: dark)` answer tests control. */
export function installMatchMedia(initiallyDark: boolean): FakeColorScheme {
  let dark = initiallyDark;
  const listeners = new Set<() => void>();
  window.matchMedia = (query: string): MediaQueryList => {
    const isDarkQuery = query.includes("prefers-color-scheme: dark");
    const mql = {
      media: query,
      get matches() {
        return isDarkQuery && dark;
      },
      onchange: null,
      addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
      addListener: (listener: () => void) => listeners.add(listener),
      removeListener: (listener: () => void) => listeners.delete(listener),
      dispatchEvent: () => true,
    };
    return mql as unknown as MediaQueryList;
  };
  return {
    setDark(next) {
      dark = next;
      for (const listener of [...listeners]) listener();
    },
  };
}

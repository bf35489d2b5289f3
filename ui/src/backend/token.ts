const STORAGE_KEY = "clawtower.token";

/**
 * Returns the `clawtower serve` access token. A `#token=…` fragment (the link the CLI prints)
 * wins: it is saved to sessionStorage and removed from the address bar so it does not linger
 * in history or get copied along with the URL. Otherwise the token saved earlier in this tab.
 */
export function takeToken(win: Window): string | null {
  const fragment = win.location.hash.replace(/^#/, "");
  // Router paths also live in the fragment ("#/settings"); only "token=…" forms are ours.
  const token = fragment.startsWith("/") ? null : new URLSearchParams(fragment).get("token");
  if (token) {
    try {
      win.sessionStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Storage disabled: the token still works for this page load.
    }
    win.history.replaceState(win.history.state, "", win.location.pathname + win.location.search);
    return token;
  }
  try {
    return win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

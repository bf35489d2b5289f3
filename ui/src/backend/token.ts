/**
 * Takes the `clawtower serve` access token from a `#token=…` fragment (the link the CLI prints)
 * and removes it from the address bar at once, so it does not linger in history or get copied
 * along with the URL. It is never stored: the HTTP backend exchanges it for the server's
 * HttpOnly session cookie. `null` when the page was opened without one.
 */
export function takeToken(win: Window): string | null {
  const fragment = win.location.hash.replace(/^#/, "");
  // Router paths also live in the fragment ("#/settings"); only "token=…" forms are ours.
  const token = fragment.startsWith("/") ? null : new URLSearchParams(fragment).get("token");
  if (!token) return null;
  win.history.replaceState(win.history.state, "", win.location.pathname + win.location.search);
  return token;
}

import type { SpendSummary } from "./bindings";
import { COMMAND_TABLE } from "./commandTable";
import { BackendError, toBackendError } from "./error";
import { EventStream } from "./eventStream";
import type { SseMessage } from "./sse";
import type { Activity, Backend, BudgetBoard, ChangedSessions, GatewayStatus, Unsubscribe } from "./types";

/** Options for {@link createHttpBackend}. */
export interface HttpBackendOptions {
  /** Origin of `clawtower serve`, e.g. `http://127.0.0.1:7420` (no trailing path). */
  baseUrl: string;
  /**
   * The token from the link `clawtower serve` printed, if this page load came with one: it is
   * exchanged once for the server's HttpOnly session cookie and then forgotten. Without it the
   * cookie from an earlier sign-in is used (and a call without one gets UNAUTHORIZED).
   */
  token: string | null;
  fetch?: typeof fetch;
  /** Event-stream reconnect backoff (defaults: 1 s doubling up to 30 s). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

type Listener = (payload: unknown) => void;

function isResult(body: unknown): body is { status: "ok"; data: unknown } | { status: "error"; error: unknown } {
  if (typeof body !== "object" || body === null) return false;
  const status = (body as { status?: unknown }).status;
  return (status === "ok" && "data" in body) || (status === "error" && "error" in body);
}

/**
 * Exchanges the token for the session cookie (`POST /api/v1/session` with the bearer token); the
 * token is not kept. Never rejects: a failed sign-in shows as UNAUTHORIZED on the calls.
 */
async function signIn(fetchFn: typeof fetch, base: string, token: string): Promise<void> {
  try {
    await fetchFn(`${base}/api/v1/session`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    // Unreachable: the calls say so.
  }
}

/**
 * Backend over HTTP for a browser talking to `clawtower serve`:
 * `POST {base}/api/v1/rpc/{command}` for commands, SSE on `GET {base}/api/v1/events` for events.
 */
export function createHttpBackend(options: HttpBackendOptions): Backend {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, "");
  // Every call waits for the sign-in (when there is a token to sign in with); a failed one
  // leaves the calls to answer UNAUTHORIZED themselves.
  const signedIn = options.token ? signIn(fetchFn, base, options.token) : Promise.resolve();

  async function rpc<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    await signedIn;
    let response: Response;
    try {
      response = await fetchFn(`${base}/api/v1/rpc/${command}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(args),
      });
    } catch (e) {
      throw new BackendError("UNREACHABLE", `Cannot reach Clawtower at ${base}.`, { cause: e });
    }
    if (response.status === 401) {
      throw new BackendError("UNAUTHORIZED", "The access token is missing, wrong or expired.");
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (e) {
      throw new BackendError("INTERNAL", `Unreadable response (HTTP ${response.status}).`, {
        cause: e,
      });
    }
    if (!isResult(body)) {
      throw new BackendError("INTERNAL", `Unexpected response (HTTP ${response.status}).`);
    }
    if (body.status === "error") throw toBackendError(body.error);
    return body.data as T;
  }

  const listeners = new Map<string, Set<Listener>>();
  const stream = new EventStream({
    url: `${base}/api/v1/events`,
    headers: {},
    fetch: (input, init) => signedIn.then(() => fetchFn(input, { ...init, credentials: "same-origin" })),
    onMessage: dispatch,
    ...options.reconnect,
  });

  function dispatch(message: SseMessage): void {
    const set = listeners.get(message.event);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.data);
    } catch {
      console.warn(`Ignoring "${message.event}" event with invalid JSON data`);
      return;
    }
    for (const listener of [...set]) listener(payload);
  }

  function subscribe(event: string, listener: Listener): Unsubscribe {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    stream.start();
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0) stream.stop();
    };
  }

  // One method per command of the list: its positional arguments become the JSON object of
  // its argument names.
  const methods = Object.fromEntries(
    Object.entries(COMMAND_TABLE).map(([method, { name, args }]) => [
      method,
      (...values: unknown[]) => rpc(name, Object.fromEntries(args.map((arg, i) => [arg, values[i]]))),
    ]),
  ) as unknown as Pick<Backend, keyof typeof COMMAND_TABLE>;

  return {
    kind: "http",
    ...methods,
    onSpendUpdated: (cb) =>
      Promise.resolve(subscribe("spend-updated", (payload) => cb(payload as SpendSummary))),
    onGateways: (cb) =>
      Promise.resolve(subscribe("gateways-changed", (payload) => cb(payload as GatewayStatus[]))),
    onBudgetBoardChanged: (cb) =>
      Promise.resolve(subscribe("budget-board-changed", (payload) => cb(payload as BudgetBoard))),
    onAlertsChanged: (cb) => Promise.resolve(subscribe("alerts-changed", () => cb())),
    onRouterActivityChanged: (cb) => Promise.resolve(subscribe("router-activity-changed", () => cb())),
    onSessionsChanged: (cb) => Promise.resolve(subscribe("sessions-changed", (payload) => cb(payload as ChangedSessions))),
    onGatewayActivity: (cb) => Promise.resolve(subscribe("gateway-activity", (payload) => cb(payload as Activity))),
    openLink: (url) => {
      window.open(url, "_blank", "noopener,noreferrer");
      return Promise.resolve();
    },
    saveFile: (name, content, extension) => {
      const blob = new Blob([content], { type: extension === "json" ? "application/json" : "text/markdown" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      return Promise.resolve(true);
    },
  };
}

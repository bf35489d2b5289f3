import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError } from "./error";
import { createHttpBackend } from "./http";
import { errorTitle } from "../format/labels";
import type { BudgetBoard, GatewayStatus, SpendSummary } from "./types";
import {
  AGENT_PAUSE,
  ALERTS,
  ANOMALIES,
  BOARD,
  BOARD_PAUSED,
  DAILY_BUDGET,
  GATEWAY_CONNECTING,
  GATEWAYS,
  SESSION_COST_ANOMALY,
  SINKS,
  SLACK_DRAFT,
  SUMMARY,
  TOP_SPEND,
} from "../test/fixtures";

const BASE = "http://127.0.0.1:7420";

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A streaming response whose body delivers `chunks` (strings or raw bytes) one by one. */
function streamResponse(chunks: (string | Uint8Array)[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      // Leave the stream open, like a live SSE connection.
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function backendWith(fetchMock: typeof fetch, token: string | null = null) {
  return createHttpBackend({
    baseUrl: `${BASE}/`,
    token,
    fetch: fetchMock,
    reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
  });
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error: unknown = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe("createHttpBackend commands", () => {
  it("POSTs the args to the snake_case RPC URL with the session cookie and unwraps ok", async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(jsonResponse({ status: "ok", data: { theme: "dark", launchAtLogin: false } })),
    );
    const settings = await backendWith(fetchMock).setTheme("dark");

    expect(settings).toEqual({ theme: "dark", launchAtLogin: false });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(`${BASE}/api/v1/rpc/set_theme`);
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(init?.headers).toEqual({ "Content-Type": "application/json" });
    expect(init?.body).toBe(JSON.stringify({ theme: "dark" }));
  });

  it("signs in once with the token from the link, then calls with the cookie only", async () => {
    const fetchMock = vi.fn<typeof fetch>((url) =>
      Promise.resolve(
        (url as string).endsWith("/api/v1/session")
          ? new Response(null, { status: 204 })
          : jsonResponse({ status: "ok", data: SUMMARY }),
      ),
    );
    const backend = backendWith(fetchMock, "s3cret");
    await backend.spendSummary();
    await backend.spendSummary();

    expect(fetchMock).toHaveBeenCalledTimes(3);
    const [signInUrl, signIn] = fetchMock.mock.calls[0] ?? [];
    expect(signInUrl).toBe(`${BASE}/api/v1/session`);
    expect(signIn?.method).toBe("POST");
    expect(signIn?.headers).toEqual({ Authorization: "Bearer s3cret" });
    for (const [, init] of fetchMock.mock.calls.slice(1)) {
      expect(init?.headers).not.toHaveProperty("Authorization");
      expect(init?.credentials).toBe("same-origin");
    }
  });

  it("POSTs the period to top_spend", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: TOP_SPEND })));
    await expect(backendWith(fetchMock).topSpend("month")).resolves.toEqual(TOP_SPEND);
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${BASE}/api/v1/rpc/top_spend`);
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe(JSON.stringify({ period: "month" }));
  });

  it("sends an empty object for commands without args", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: SUMMARY })));
    await expect(backendWith(fetchMock).spendSummary()).resolves.toEqual(SUMMARY);
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${BASE}/api/v1/rpc/spend_summary`);
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe("{}");
  });

  it("POSTs an empty object to gateways and unwraps every gateway", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: GATEWAYS })));
    await expect(backendWith(fetchMock).gateways()).resolves.toEqual(GATEWAYS);
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${BASE}/api/v1/rpc/gateways`);
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe("POST");
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe("{}");
  });

  it("POSTs each gateway command to its snake_case URL with its args", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: GATEWAYS })));
    const backend = backendWith(fetchMock);
    const draft = { name: "", url: "ws://gw.example.com", credential: null, allowUnencrypted: true };
    const credential = { kind: "token" as const, secret: "tok" };

    await expect(backend.addGateway(draft)).resolves.toEqual(GATEWAYS);
    await backend.removeGateway(3);
    await backend.restoreGateway(3);
    await backend.setGatewayCredential(3, credential);
    await backend.setGatewayCredential(0, null);

    const sent = fetchMock.mock.calls.map(([url, init]) => [url, init?.body]);
    const rpc = (command: string) => `${BASE}/api/v1/rpc/${command}`;
    expect(sent).toEqual([
      [rpc("add_gateway"), JSON.stringify({ draft })],
      [rpc("remove_gateway"), JSON.stringify({ id: 3 })],
      [rpc("restore_gateway"), JSON.stringify({ id: 3 })],
      [rpc("set_gateway_credential"), JSON.stringify({ id: 3, credential })],
      [rpc("set_gateway_credential"), JSON.stringify({ id: 0, credential: null })],
    ]);
  });

  it("POSTs each budget and alert command to its snake_case URL with its args", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: null })));
    const backend = backendWith(fetchMock);
    const { id: _id, ...draft } = DAILY_BUDGET;

    await backend.budgetBoard();
    await backend.saveBudget(null, draft);
    await backend.saveBudget(1, draft);
    await backend.removeBudget(1);
    await backend.restoreBudget(DAILY_BUDGET);
    await backend.alerts();
    await backend.acknowledgeAlerts(10);
    await backend.acknowledgeAlerts(null);
    await backend.pauseAll();
    await backend.resumeAll();

    const sent = fetchMock.mock.calls.map(([url, init]) => [url, init?.body]);
    const rpc = (command: string) => `${BASE}/api/v1/rpc/${command}`;
    expect(sent).toEqual([
      [rpc("budget_board"), "{}"],
      [rpc("save_budget"), JSON.stringify({ id: null, draft })],
      [rpc("save_budget"), JSON.stringify({ id: 1, draft })],
      [rpc("remove_budget"), JSON.stringify({ id: 1 })],
      [rpc("restore_budget"), JSON.stringify({ budget: DAILY_BUDGET })],
      [rpc("alerts"), "{}"],
      [rpc("acknowledge_alerts"), JSON.stringify({ id: 10 })],
      [rpc("acknowledge_alerts"), JSON.stringify({ id: null })],
      [rpc("pause_all"), "{}"],
      [rpc("resume_all"), "{}"],
    ]);
  });

  it("unwraps the budget board, alerts and resumed pauses", async () => {
    const answers = [BOARD, ALERTS, [AGENT_PAUSE]];
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(jsonResponse({ status: "ok", data: answers.shift() })),
    );
    const backend = backendWith(fetchMock);
    await expect(backend.budgetBoard()).resolves.toEqual(BOARD);
    await expect(backend.alerts()).resolves.toEqual(ALERTS);
    await expect(backend.resumeAll()).resolves.toEqual([AGENT_PAUSE]);
  });

  it("POSTs each alert sink and anomaly rule command to its snake_case URL with its args", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ status: "ok", data: null })));
    const backend = backendWith(fetchMock);
    const { id: _id, ...anomalyDraft } = SESSION_COST_ANOMALY;

    await backend.alertSinks();
    await backend.addAlertSink(SLACK_DRAFT);
    await backend.removeAlertSink(3);
    await backend.testAlertSink(3);
    await backend.anomalyRules();
    await backend.addAnomalyRule(anomalyDraft);
    await backend.removeAnomalyRule(2);

    const sent = fetchMock.mock.calls.map(([url, init]) => [url, init?.body]);
    const rpc = (command: string) => `${BASE}/api/v1/rpc/${command}`;
    expect(sent).toEqual([
      [rpc("alert_sinks"), "{}"],
      [rpc("add_alert_sink"), JSON.stringify({ draft: SLACK_DRAFT })],
      [rpc("remove_alert_sink"), JSON.stringify({ id: 3 })],
      [rpc("test_alert_sink"), JSON.stringify({ id: 3 })],
      [rpc("anomaly_rules"), "{}"],
      [rpc("add_anomaly_rule"), JSON.stringify({ draft: anomalyDraft })],
      [rpc("remove_anomaly_rule"), JSON.stringify({ id: 2 })],
    ]);
  });

  it("unwraps the sinks, a test's outcome (null or the reason) and the anomaly rules", async () => {
    const answers = [SINKS, null, "connection refused", ANOMALIES];
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(jsonResponse({ status: "ok", data: answers.shift() })),
    );
    const backend = backendWith(fetchMock);
    await expect(backend.alertSinks()).resolves.toEqual(SINKS);
    await expect(backend.testAlertSink(3)).resolves.toBeNull();
    await expect(backend.testAlertSink(4)).resolves.toBe("connection refused");
    await expect(backend.anomalyRules()).resolves.toEqual(ANOMALIES);
  });

  it("rejects add_alert_sink with the INVALID_INPUT sentence the server sends", async () => {
    const message = "the Slack webhook URL starts with https://hooks.slack.com/";
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(jsonResponse({ status: "error", error: { code: "INVALID_INPUT", message } }, 400)),
    );
    const error = await rejection(backendWith(fetchMock).addAlertSink(SLACK_DRAFT));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe(message);
  });

  it("rejects pause_all with the GATEWAY error the server sends", async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        jsonResponse({ status: "error", error: { code: "GATEWAY", message: "the gateway is unreachable" } }, 502),
      ),
    );
    const error = await rejection(backendWith(fetchMock).pauseAll());
    expect(error.code).toBe("GATEWAY");
    expect(error.message).toBe("the gateway is unreachable");
  });

  it("rejects with the AppError's code and message on an error result", async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        jsonResponse({ status: "error", error: { code: "STORE_UNAVAILABLE", message: "database is locked" } }, 500),
      ),
    );
    const error = await rejection(backendWith(fetchMock).spendSummary());
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toBe("database is locked");
  });

  it("passes on the server's refusal codes, each with its own title", async () => {
    for (const [code, status, title] of [
      ["CROSS_ORIGIN", 403, "Refused: the call came from another site"],
      ["HOST", 421, "Refused: this server does not answer to that address"],
    ] as const) {
      const fetchMock = vi.fn<typeof fetch>(() =>
        Promise.resolve(jsonResponse({ status: "error", error: { code, message: "refused" } }, status)),
      );
      const error = await rejection(backendWith(fetchMock).pauseAll());
      expect(error.code).toBe(code);
      expect(errorTitle(error.code)).toBe(title);
    }
  });

  it("rejects with UNAUTHORIZED on 401", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response("no", { status: 401 })));
    expect((await rejection(backendWith(fetchMock).doctor())).code).toBe("UNAUTHORIZED");
  });

  it("rejects with UNAUTHORIZED when signing in with the token fails", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response("no", { status: 401 })));
    expect((await rejection(backendWith(fetchMock, "wrong").appInfo())).code).toBe("UNAUTHORIZED");
    expect(fetchMock.mock.calls[1]?.[1]?.headers).not.toHaveProperty("Authorization");
  });

  it("rejects with UNREACHABLE when the network fails", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.reject(new TypeError("Failed to fetch")));
    const error = await rejection(backendWith(fetchMock).getSettings());
    expect(error.code).toBe("UNREACHABLE");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("rejects with INTERNAL on a body that is not a Result", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response("<html>", { status: 502 })));
    expect((await rejection(backendWith(fetchMock).appInfo())).code).toBe("INTERNAL");
  });
});

describe("createHttpBackend events", () => {
  let stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops) stop();
    stops = [];
  });

  it("streams spend-updated events parsed across chunk and UTF-8 boundaries", async () => {
    const first: SpendSummary = { ...SUMMARY, trayLabel: "€1 — today" };
    const second: SpendSummary = { ...SUMMARY, todayUsd: 2 };
    const frame1 = `event: spend-updated\ndata: ${JSON.stringify(first)}\n\n`;
    const bytes = new TextEncoder().encode(frame1);
    const euro = frame1.indexOf("€");
    // Split inside the 3-byte "€" and inside the JSON, then send a keep-alive and a second event.
    const chunks = [
      bytes.slice(0, euro + 1),
      bytes.slice(euro + 1, euro + 20),
      bytes.slice(euro + 20),
      ": keep-alive\n\nevent: other\ndata: {}\n\n",
      `event: spend-upd`,
      `ated\ndata: ${JSON.stringify(second)}\n`,
      "\n",
    ];
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(streamResponse(chunks)));
    const received: SpendSummary[] = [];

    stops.push(await backendWith(fetchMock).onSpendUpdated((s) => received.push(s)));

    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received).toEqual([first, second]);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(`${BASE}/api/v1/events`);
    expect(init?.method).toBe("GET");
    expect(init?.headers).toEqual({ Accept: "text/event-stream" });
    expect(init?.credentials).toBe("same-origin");
  });

  it("streams gateways-changed events to their own listeners only", async () => {
    const chunks = [
      `event: spend-updated\ndata: ${JSON.stringify(SUMMARY)}\n\n`,
      `event: gateways-changed\ndata: ${JSON.stringify([GATEWAY_CONNECTING])}\n\n`,
      `event: gateways-changed\ndata: ${JSON.stringify(GATEWAYS)}\n\n`,
    ];
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(streamResponse(chunks)));
    const received: GatewayStatus[][] = [];

    stops.push(await backendWith(fetchMock).onGateways((all) => received.push(all)));

    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received).toEqual([[GATEWAY_CONNECTING], GATEWAYS]);
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${BASE}/api/v1/events`);
  });

  it("streams budget-board-changed, alerts-changed and router-activity-changed events to their listeners", async () => {
    const chunks = [
      `event: budget-board-changed\ndata: ${JSON.stringify(BOARD_PAUSED)}\n\n`,
      "event: alerts-changed\ndata: null\n\n",
      "event: router-activity-changed\ndata: null\n\n",
      `event: spend-updated\ndata: ${JSON.stringify(SUMMARY)}\n\n`,
    ];
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(streamResponse(chunks)));
    const boards: BudgetBoard[] = [];
    const onAlerts = vi.fn<() => void>();
    const backend = backendWith(fetchMock);

    stops.push(await backend.onBudgetBoardChanged((b) => boards.push(b)));
    stops.push(await backend.onAlertsChanged(onAlerts));
    const onRouter = vi.fn<() => void>();
    stops.push(await backend.onRouterActivityChanged(onRouter));

    await vi.waitFor(() => expect(onAlerts).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(onRouter).toHaveBeenCalledTimes(1));
    expect(boards).toEqual([BOARD_PAUSED]);
    expect(onAlerts).toHaveBeenCalledWith();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("reconnects with backoff after a failure", async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockRejectedValueOnce(new TypeError("offline"))
      .mockResolvedValueOnce(new Response("nope", { status: 503 }))
      .mockResolvedValue(streamResponse([`event: spend-updated\ndata: ${JSON.stringify(SUMMARY)}\n\n`]));
    const received: SpendSummary[] = [];

    stops.push(await backendWith(fetchMock).onSpendUpdated((s) => received.push(s)));

    await vi.waitFor(() => expect(received).toEqual([SUMMARY]));
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it("shares one connection and aborts it when the last listener leaves", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(streamResponse([])));
    const backend = backendWith(fetchMock);
    const stopA = await backend.onSpendUpdated(() => undefined);
    const stopB = await backend.onSpendUpdated(() => undefined);
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const signal = fetchMock.mock.calls[0]?.[1]?.signal;

    stopA();
    expect(signal?.aborted).toBe(false);
    stopB();
    expect(signal?.aborted).toBe(true);
  });
});

import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AGENT_PAUSE,
  ALERTS,
  ANOMALIES,
  APP_INFO,
  BOARD,
  BOARD_PAUSED,
  DAILY_BUDGET,
  GATEWAY_CONNECTING,
  GATEWAY_LIVE,
  GATEWAYS,
  SESSION_COST_ANOMALY,
  SINKS,
  SLACK_DRAFT,
  SLACK_SINK,
  SUMMARY,
  TOP_SPEND,
} from "../test/fixtures";
import { BackendError } from "./error";
import { createTauriBackend } from "./tauri";
import type { BudgetBoard, GatewayStatus, SpendSummary } from "./types";

afterEach(() => {
  clearMocks();
});

describe("createTauriBackend", () => {
  it("unwraps ok results and passes args by name", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "spend_summary") return SUMMARY;
      if (cmd === "app_info") return APP_INFO;
      if (cmd === "set_launch_at_login") return { theme: "system", launchAtLogin: true };
      return undefined;
    });
    const backend = createTauriBackend();

    await expect(backend.spendSummary()).resolves.toEqual(SUMMARY);
    await expect(backend.appInfo()).resolves.toEqual(APP_INFO);
    await expect(backend.setLaunchAtLogin(true)).resolves.toEqual({ theme: "system", launchAtLogin: true });
    expect(calls).toContainEqual(["set_launch_at_login", { enabled: true }]);
  });

  it("passes the period to top_spend and unwraps its answer", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "top_spend" ? { ...TOP_SPEND, period: "week" } : undefined;
    });

    await expect(createTauriBackend().topSpend("week")).resolves.toEqual({ ...TOP_SPEND, period: "week" });
    expect(calls).toEqual([["top_spend", { period: "week" }]]);
  });

  it("returns gateways' plain (never failing) answer", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return cmd === "gateways" ? GATEWAYS : undefined;
    });

    await expect(createTauriBackend().gateways()).resolves.toEqual(GATEWAYS);
    expect(calls).toEqual(["gateways"]);
  });

  it("calls the gateway commands with their args by name and unwraps every gateway", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return GATEWAYS;
    });
    const backend = createTauriBackend();
    const draft = { name: "Lab", url: "wss://lab.example.com", credential: null, allowUnencrypted: false };
    const credential = { kind: "password" as const, secret: "hunter2" };

    await expect(backend.addGateway(draft)).resolves.toEqual(GATEWAYS);
    await expect(backend.removeGateway(3)).resolves.toEqual(GATEWAYS);
    await expect(backend.restoreGateway(3)).resolves.toEqual(GATEWAYS);
    await expect(backend.setGatewayCredential(3, credential)).resolves.toEqual(GATEWAYS);
    await expect(backend.setGatewayCredential(0, null)).resolves.toEqual(GATEWAYS);
    expect(calls).toEqual([
      ["add_gateway", { draft }],
      ["remove_gateway", { id: 3 }],
      ["restore_gateway", { id: 3 }],
      ["set_gateway_credential", { id: 3, credential }],
      ["set_gateway_credential", { id: 0, credential: null }],
    ]);
  });

  it("rejects a refused gateway command with INVALID_INPUT and its sentence", async () => {
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "INVALID_INPUT", message: "Build box is paused by Clawtower; resume it before removing it" };
    });
    await expect(createTauriBackend().removeGateway(3)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "Build box is paused by Clawtower; resume it before removing it",
    });
  });

  it("rejects with a BackendError carrying the AppError code", async () => {
    mockIPC(() => {
      // Tauri rejects invoke() with the serialized AppError object, not an Error.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "AUTOSTART", message: "launchd refused" };
    });
    const error: unknown = await createTauriBackend()
      .setLaunchAtLogin(true)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "AUTOSTART", message: "launchd refused" });
  });

  it("maps transport failures (thrown Errors) to INTERNAL", async () => {
    mockIPC(() => {
      throw new Error("command doctor not found");
    });
    await expect(createTauriBackend().doctor()).rejects.toMatchObject({
      code: "INTERNAL",
      message: "command doctor not found",
    });
  });

  it("calls the budget and alert commands with their args by name and unwraps their answers", async () => {
    const calls: [string, unknown][] = [];
    const { id: _id, ...draft } = DAILY_BUDGET;
    const answers: Record<string, unknown> = {
      budget_board: BOARD,
      save_budget: DAILY_BUDGET,
      remove_budget: DAILY_BUDGET,
      restore_budget: null,
      alerts: ALERTS,
      acknowledge_alerts: null,
      pause_all: AGENT_PAUSE,
      resume_all: [AGENT_PAUSE],
    };
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return answers[cmd];
    });
    const backend = createTauriBackend();

    await expect(backend.budgetBoard()).resolves.toEqual(BOARD);
    await expect(backend.saveBudget(null, draft)).resolves.toEqual(DAILY_BUDGET);
    await expect(backend.saveBudget(1, draft)).resolves.toEqual(DAILY_BUDGET);
    await expect(backend.removeBudget(1)).resolves.toEqual(DAILY_BUDGET);
    await expect(backend.restoreBudget(DAILY_BUDGET)).resolves.toBeNull();
    await expect(backend.alerts()).resolves.toEqual(ALERTS);
    await expect(backend.acknowledgeAlerts(10)).resolves.toBeNull();
    await expect(backend.acknowledgeAlerts(null)).resolves.toBeNull();
    await expect(backend.pauseAll()).resolves.toEqual(AGENT_PAUSE);
    await expect(backend.resumeAll()).resolves.toEqual([AGENT_PAUSE]);
    expect(calls).toEqual([
      ["budget_board", {}],
      ["save_budget", { id: null, draft }],
      ["save_budget", { id: 1, draft }],
      ["remove_budget", { id: 1 }],
      ["restore_budget", { budget: DAILY_BUDGET }],
      ["alerts", {}],
      ["acknowledge_alerts", { id: 10 }],
      ["acknowledge_alerts", { id: null }],
      ["pause_all", {}],
      ["resume_all", {}],
    ]);
  });

  it("rejects pause_all with the GATEWAY code and save_budget with INVALID_INPUT", async () => {
    mockIPC((cmd) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (cmd === "pause_all") throw { code: "GATEWAY", message: "no OpenClaw gateway is configured" };
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "INVALID_INPUT", message: "threshold 0%: use percentages from 1 to 1000" };
    });
    const backend = createTauriBackend();

    await expect(backend.pauseAll()).rejects.toMatchObject({ code: "GATEWAY" });
    await expect(backend.saveBudget(null, { ...DAILY_BUDGET, thresholds: [0] })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "threshold 0%: use percentages from 1 to 1000",
    });
  });

  it("calls the alert sink and anomaly rule commands with their args by name and unwraps their answers", async () => {
    const calls: [string, unknown][] = [];
    const { id: _id, ...anomalyDraft } = SESSION_COST_ANOMALY;
    const answers: Record<string, unknown> = {
      alert_sinks: SINKS,
      add_alert_sink: SLACK_SINK,
      remove_alert_sink: null,
      test_alert_sink: "HTTP 404 from hooks.slack.com",
      anomaly_rules: ANOMALIES,
      add_anomaly_rule: SESSION_COST_ANOMALY,
      remove_anomaly_rule: null,
    };
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return answers[cmd];
    });
    const backend = createTauriBackend();

    await expect(backend.alertSinks()).resolves.toEqual(SINKS);
    await expect(backend.addAlertSink(SLACK_DRAFT)).resolves.toEqual(SLACK_SINK);
    await expect(backend.removeAlertSink(3)).resolves.toBeNull();
    await expect(backend.testAlertSink(3)).resolves.toBe("HTTP 404 from hooks.slack.com");
    await expect(backend.anomalyRules()).resolves.toEqual(ANOMALIES);
    await expect(backend.addAnomalyRule(anomalyDraft)).resolves.toEqual(SESSION_COST_ANOMALY);
    await expect(backend.removeAnomalyRule(2)).resolves.toBeNull();
    expect(calls).toEqual([
      ["alert_sinks", {}],
      ["add_alert_sink", { draft: SLACK_DRAFT }],
      ["remove_alert_sink", { id: 3 }],
      ["test_alert_sink", { id: 3 }],
      ["anomaly_rules", {}],
      ["add_anomaly_rule", { draft: anomalyDraft }],
      ["remove_anomaly_rule", { id: 2 }],
    ]);
  });

  it("resolves test_alert_sink with null when delivered, and rejects bad sinks and rules", async () => {
    mockIPC((cmd) => {
      if (cmd === "test_alert_sink") return null;
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "INVALID_INPUT", message: `${cmd}: refused` };
    });
    const backend = createTauriBackend();

    await expect(backend.testAlertSink(3)).resolves.toBeNull();
    await expect(backend.addAlertSink(SLACK_DRAFT)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "add_alert_sink: refused",
    });
    await expect(
      backend.addAnomalyRule({ rule: { kind: "runawayLoop", repeats: 1 }, action: "alert" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: "add_anomaly_rule: refused" });
  });

  it("delivers budget-board-changed and alerts-changed events until unsubscribed", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const onBoard = vi.fn<(board: BudgetBoard) => void>();
    const onAlerts = vi.fn<() => void>();
    const backend = createTauriBackend();
    const stopBoard = await backend.onBudgetBoardChanged(onBoard);
    const stopAlerts = await backend.onAlertsChanged(onAlerts);
    const onRouter = vi.fn<() => void>();
    const stopRouter = await backend.onRouterActivityChanged(onRouter);

    await emit("budget-board-changed", BOARD_PAUSED);
    await emit("alerts-changed", null);
    await emit("router-activity-changed", null);
    expect(onBoard).toHaveBeenCalledExactlyOnceWith(BOARD_PAUSED);
    expect(onAlerts).toHaveBeenCalledExactlyOnceWith();
    expect(onRouter).toHaveBeenCalledExactlyOnceWith();

    stopBoard();
    stopAlerts();
    stopRouter();
    await emit("router-activity-changed", null);
    expect(onRouter).toHaveBeenCalledTimes(1);
    await emit("budget-board-changed", BOARD);
    await emit("alerts-changed", null);
    expect(onBoard).toHaveBeenCalledTimes(1);
    expect(onAlerts).toHaveBeenCalledTimes(1);
  });

  it("delivers spend-updated events until unsubscribed", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const cb = vi.fn<(s: SpendSummary) => void>();
    const stop = await createTauriBackend().onSpendUpdated(cb);

    await emit("spend-updated", SUMMARY);
    expect(cb).toHaveBeenCalledWith(SUMMARY);

    stop();
    await emit("spend-updated", { ...SUMMARY, todayUsd: 9 });
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("delivers gateways-changed events until unsubscribed", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const cb = vi.fn<(all: GatewayStatus[]) => void>();
    const stop = await createTauriBackend().onGateways(cb);

    await emit("gateways-changed", [GATEWAY_CONNECTING]);
    await emit("spend-updated", SUMMARY);
    expect(cb).toHaveBeenCalledExactlyOnceWith([GATEWAY_CONNECTING]);

    stop();
    await emit("gateways-changed", [GATEWAY_LIVE]);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});

import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { APP_INFO, GATEWAY_CONNECTING, GATEWAY_LIVE, SUMMARY, TOP_SPEND } from "../test/fixtures";
import { BackendError } from "./error";
import { createTauriBackend } from "./tauri";
import type { GatewayStatus, SpendSummary } from "./types";

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

  it("returns gateway_status's plain (never failing) answer", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return cmd === "gateway_status" ? GATEWAY_LIVE : undefined;
    });

    await expect(createTauriBackend().gatewayStatus()).resolves.toEqual(GATEWAY_LIVE);
    expect(calls).toEqual(["gateway_status"]);
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

  it("delivers gateway-status-changed events until unsubscribed", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const cb = vi.fn<(s: GatewayStatus) => void>();
    const stop = await createTauriBackend().onGatewayStatus(cb);

    await emit("gateway-status-changed", GATEWAY_CONNECTING);
    await emit("spend-updated", SUMMARY);
    expect(cb).toHaveBeenCalledExactlyOnceWith(GATEWAY_CONNECTING);

    stop();
    await emit("gateway-status-changed", GATEWAY_LIVE);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});

import type { KeyView, ProviderStatus, RoutedCallView } from "../backend";

/** A key's limits in words ("60 requests/min, 2 at once"), or "No limits". */
export function keyLimitsPhrase(key: KeyView): string {
  const { rpm, tpm, maxParallel, budgetId } = key.limits;
  const parts = [
    rpm !== null && `${rpm.toLocaleString("en")} requests/min`,
    tpm !== null && `${tpm.toLocaleString("en")} tokens/min`,
    maxParallel !== null && `${maxParallel} at once`,
    budgetId !== null && `budget #${budgetId}`,
  ].filter((part): part is string => typeof part === "string");
  return parts.length ? parts.join(", ") : "No limits";
}

/** Whether a key works now: active, expired or revoked. */
export function keyState(key: KeyView, nowMs: number): "active" | "expired" | "revoked" {
  if (key.revokedMs !== null) return "revoked";
  if (key.expiresMs !== null && key.expiresMs <= nowMs) return "expired";
  return "active";
}

/** A provider's health for its badge: the status colour and the words. */
export function providerHealth(provider: ProviderStatus, nowMs: number): { status: "ok" | "warn" | "error"; label: string; detail: string | null } {
  if (provider.disabled) return { status: "error", label: "Disabled", detail: provider.disabled };
  if (provider.circuit === "open" && provider.openUntilMs !== null) {
    const seconds = Math.max(1, Math.ceil((provider.openUntilMs - nowMs) / 1000));
    return { status: "warn", label: "Skipped", detail: `It kept failing or asked to wait: calls skip it for ${seconds} s more.` };
  }
  if (provider.circuit === "probing") return { status: "warn", label: "Probing", detail: "One call is checking whether it is back." };
  return { status: "ok", label: "Healthy", detail: null };
}

/** Milliseconds as a call's timing shows them: "0.42 ms", "38 ms", "1.2 s". */
export function formatMillis(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** How the router handled a call, in words: "HTTP 200", "upstream 38 ms", "router 0.42 ms" (what is known). */
export function handledPhrases(call: RoutedCallView): string[] {
  return [
    call.status !== null && `HTTP ${call.status}`,
    call.upstreamMs !== null && `upstream ${formatMillis(call.upstreamMs)}`,
    call.overheadMs !== null && `router ${formatMillis(call.overheadMs)}`,
  ].filter((part): part is string => typeof part === "string");
}

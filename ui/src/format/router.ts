import type { KeyView, ProviderStatus } from "../backend";

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

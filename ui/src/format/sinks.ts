import type { SinkConfig } from "../backend";
import { formatDuration } from "./time";

/** Kind of an alert destination ("webhook", "slack", …). */
export type SinkKind = SinkConfig["kind"];

/** What each destination kind is called, in the order the Add destination dialog offers them. */
export const SINK_KIND_LABELS: Readonly<Record<SinkKind, string>> = {
  slack: "Slack",
  discord: "Discord",
  telegram: "Telegram",
  ntfy: "ntfy",
  email: "Email",
  webhook: "Webhook",
};

/** Whether `kind` (as a sink view reports it) is one this UI knows. */
export function isSinkKind(kind: string): kind is SinkKind {
  return Object.hasOwn(SINK_KIND_LABELS, kind);
}

/** What the engine reports for a stored destination it cannot read (`lastError` says why). */
export const UNREADABLE_SINK_KIND = "unreadable";

/**
 * The name of a destination kind; one the engine cannot read says so; an unknown kind (added
 * on the Rust side) shows as is.
 */
export function sinkKindLabel(kind: string): string {
  if (kind === UNREADABLE_SINK_KIND) return "Cannot be read";
  return isSinkKind(kind) ? SINK_KIND_LABELS[kind] : kind;
}

/** A sink's cooldown: "No cooldown", or "At most one alert every 5 min". */
export function cooldownPhrase(cooldownSecs: number): string {
  return cooldownSecs > 0 ? `At most one alert every ${formatDuration(cooldownSecs)}` : "No cooldown";
}

import type { AnomalyDraft, AnomalyRule } from "../backend";
import { formatUsd } from "./money";
import { formatCount } from "./number";

/** Kind of an anomaly rule ("runawayLoop", …). */
export type AnomalyKind = AnomalyRule["kind"];

/** What each rule kind is called, in the order the Add rule dialog offers them. */
export const ANOMALY_KIND_LABELS: Readonly<Record<AnomalyKind, string>> = {
  runawayLoop: "Runaway loop",
  tokenVelocity: "Token spike",
  errorSpike: "Error spike",
  longRun: "Long run",
  sessionCost: "Costly session",
};

/** Rules that fire for one session, so that pausing pauses only that session (the others pause everything). */
const PER_SESSION: ReadonlySet<string> = new Set<AnomalyKind>(["runawayLoop", "longRun", "sessionCost"]);

/** Whether a rule of `kind` fires for one session (and so pauses only that session). */
export function isPerSessionRule(kind: AnomalyKind): boolean {
  return PER_SESSION.has(kind);
}

/** What a rule watches for, in words: "The same tool call 10 times in a session". */
export function anomalyRulePhrase(rule: AnomalyRule): string {
  switch (rule.kind) {
    case "tokenVelocity":
      return `More than ${formatCount(rule.tokensPerMinute)} tokens a minute, all sessions together`;
    case "runawayLoop":
      return `The same tool call ${formatCount(rule.repeats)} times in a session`;
    case "errorSpike":
      return `${formatCount(rule.errors)} errors within ${formatCount(rule.minutes)} min`;
    case "longRun":
      return `A session working for more than ${formatCount(rule.minutes)} min without a break`;
    case "sessionCost":
      return `A session costing more than ${formatUsd(rule.usd)}`;
    default: {
      // A kind added on the Rust side must not break the UI.
      const unknown: { kind: string } = rule;
      return unknown.kind;
    }
  }
}

/** What happens when a rule fires: "alert", "alert and pause that session" or "alert and pause everything". */
export function anomalyActionPhrase(draft: AnomalyDraft): string {
  if (draft.action === "alert") return "alert";
  return isPerSessionRule(draft.rule.kind) ? "alert and pause that session" : "alert and pause everything";
}

/** A rule and its action in words: "The same tool call 10 times in a session — alert". */
export function anomalyPhrase(draft: AnomalyDraft): string {
  return `${anomalyRulePhrase(draft.rule)} — ${anomalyActionPhrase(draft)}`;
}

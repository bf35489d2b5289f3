import { useCallback, useState } from "react";
import Markdown, { type Components } from "react-markdown";
import { useBackend, type TimelineEntry } from "../../backend";
import { ErrorPanel } from "../../components/ErrorPanel";
import { formatCallUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { ENTRY_KINDS } from "../../format/session";
import { formatWhen } from "../../format/time";
import { useAction } from "../../hooks/useAction";

/** Props of {@link EntryRow}. */
export interface EntryRowProps {
  sessionKey: string;
  entry: TimelineEntry;
  /** This entry is the one the address points at. */
  selected: boolean;
  nowMs: number;
  /** Scrolls to another entry of the session (a tool call's result, a result's call). */
  onJump: (id: string) => void;
  /** Opens another session (the sub-agent a call spawned). */
  onOpenSession: (key: string) => void;
  /** Opens a link in the system browser. */
  onLink: (url: string) => void;
}

/** Kinds whose text is markdown (the rest is shown as written). */
const MARKDOWN = new Set<TimelineEntry["kind"]>(["user", "assistant"]);

/**
 * One entry of a timeline: its kind, time and (for model calls) model, tokens and cost; text as
 * safe markdown or as written; thinking folded; a tool call with its result's outcome and time
 * and a jump to it; long text cut with "Show all".
 */
export function EntryRow({ sessionKey, entry, selected, nowMs, onJump, onOpenSession, onLink }: EntryRowProps) {
  const backend = useBackend();
  const [whole, setWhole] = useState<string | null>(null);
  const more = useAction(useCallback(() => backend.sessionEntry(sessionKey, entry.id), [backend, sessionKey, entry.id]));
  const text = whole ?? entry.text;
  const tool = entry.tool;
  const failed = entry.kind === "error" || tool?.isError === true;
  const body = MARKDOWN.has(entry.kind) ? (
    <div className="entry-markdown">
      <Markdown components={linksTo(onLink)} skipHtml>
        {text}
      </Markdown>
    </div>
  ) : (
    text && <pre className="entry-text">{text}</pre>
  );
  return (
    <article
      className={["entry", `entry-${entry.kind}`, failed && "entry-failed", selected && "entry-selected"].filter(Boolean).join(" ")}
      data-testid="entry"
      data-kind={entry.kind}
      data-entry={entry.id}
      aria-label={ENTRY_KINDS[entry.kind]}
    >
      <header className="entry-head">
        <span className="entry-kind">{ENTRY_KINDS[entry.kind]}</span>
        {tool && <span className="entry-tool">{tool.name}</span>}
        {entry.customType && <span className="entry-tool">{entry.customType}</span>}
        {entry.call && (
          <span className="entry-call" data-testid="entry-call">
            {entry.call.model} · {formatCount(entry.call.inputTokens + entry.call.cacheReadTokens + entry.call.cacheWriteTokens)} in ·{" "}
            {formatCount(entry.call.outputTokens)} out · {entry.call.costUsd === null ? "not billed here" : formatCallUsd(entry.call.costUsd)}
            {entry.call.aborted && " · aborted"}
          </span>
        )}
        {tool && (
          <span className="entry-call">
            {tool.pairedId ? (
              <button type="button" className="link-button" onClick={() => onJump(tool.pairedId!)} data-testid="jump-pair">
                {entry.kind === "toolCall" ? (tool.isError ? "failed" : "result") : "call"}
                {tool.durationMs !== null && ` · ${(tool.durationMs / 1000).toFixed(tool.durationMs < 10_000 ? 1 : 0)} s`}
              </button>
            ) : (
              entry.kind === "toolCall" && "no result"
            )}
          </span>
        )}
        {tool?.childSessionKey && (
          <button type="button" className="link-button" onClick={() => onOpenSession(tool.childSessionKey!)} data-testid="open-sub-agent">
            Open sub-agent
          </button>
        )}
        <time className="entry-time">{entry.ts !== null ? formatWhen(entry.ts, nowMs) : ""}</time>
      </header>
      {entry.kind === "thinking" ? (
        <details className="entry-thinking">
          <summary>Thinking ({formatCount(text.length)} characters)</summary>
          {body}
        </details>
      ) : (
        body
      )}
      {entry.fullChars !== null && whole === null && (
        <p className="entry-cut">
          Showing {formatCount(entry.text.length)} of {formatCount(entry.fullChars)} characters.{" "}
          <button
            type="button"
            className="link-button"
            disabled={more.running}
            onClick={() => void more.run().then((full) => full && setWhole(full.text))}
            data-testid="show-all"
          >
            {more.running ? "Loading…" : "Show all"}
          </button>
        </p>
      )}
      {more.error && <ErrorPanel compact error={more.error} />}
    </article>
  );
}

/** Links that open in the system browser, never inside the app. */
function linksTo(onLink: (url: string) => void): Components {
  return {
    a: ({ href, children }) => (
      <a
        href={href}
        rel="noopener noreferrer"
        onClick={(e) => {
          e.preventDefault();
          if (href && /^(https?|mailto):/i.test(href)) onLink(href);
        }}
      >
        {children}
      </a>
    ),
    img: ({ alt }) => <span className="entry-image">[image{alt ? `: ${alt}` : ""}]</span>,
  };
}

import { SseParser, type SseMessage } from "./sse";

/** Options for {@link EventStream}. */
export interface EventStreamOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  onMessage: (message: SseMessage) => void;
  /** First reconnect delay; doubles on each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A Server-Sent Events connection read with fetch streaming (credentials go as the caller's
 * fetch sends them — the session cookie — never in a URL), reconnecting with exponential
 * backoff until `stop()` is called.
 */
export class EventStream {
  private controller: AbortController | undefined;
  private attempt = 0;

  constructor(private readonly options: EventStreamOptions) {}

  /** Opens the connection (no-op when already running). */
  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  /** Closes the connection and cancels any pending reconnect. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.attempt = 0;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.readOnce(signal);
      } catch {
        // Network error, HTTP error or aborted: fall through to the backoff below.
      }
      if (signal.aborted) return;
      await sleep(this.nextDelay(), signal);
    }
  }

  private async readOnce(signal: AbortSignal): Promise<void> {
    const { url, headers, onMessage } = this.options;
    const response = await this.options.fetch(url, {
      method: "GET",
      headers: { ...headers, Accept: "text/event-stream" },
      cache: "no-store",
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    this.attempt = 0;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      // `stream: true` keeps a multi-byte UTF-8 sequence split across chunks intact.
      for (const message of parser.push(decoder.decode(value, { stream: true }))) onMessage(message);
    }
  }

  private nextDelay(): number {
    const initial = this.options.initialDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** this.attempt);
    this.attempt++;
    return delay;
  }
}

/** Resolves after `ms`, or early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** One dispatched Server-Sent Event. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental Server-Sent Events parser (the subset of the WHATWG algorithm we need:
 * `event`, `data`, `id`, comments; `retry` is ignored). Feed it decoded text in chunks of any
 * size; complete events come out of `push`.
 */
export class SseParser {
  private buffer = "";
  private eventName = "";
  private dataLines: string[] = [];
  private lastId: string | undefined;

  /** Adds a chunk of text and returns the events it completed. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      // A lone "\r" at the very end may be the first half of "\r\n": wait for more input.
      if (ch === "\r" && i === this.buffer.length - 1) break;
      const message = this.line(this.buffer.slice(start, i));
      if (message) out.push(message);
      if (ch === "\r" && this.buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventName = value;
    else if (field === "data") this.dataLines.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const hasData = this.dataLines.length > 0;
    const message: SseMessage = {
      event: this.eventName || "message",
      data: this.dataLines.join("\n"),
      ...(this.lastId === undefined ? {} : { id: this.lastId }),
    };
    this.eventName = "";
    this.dataLines = [];
    return hasData ? message : undefined;
  }
}

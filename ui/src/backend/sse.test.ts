import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe("SseParser", () => {
  it("parses named events and joins multi-line data", () => {
    expect(parseAll(['event: spend-updated\ndata: {"a":1}\n\n', "data: line1\ndata: line2\n\n"])).toEqual([
      { event: "spend-updated", data: '{"a":1}' },
      { event: "message", data: "line1\nline2" },
    ]);
  });

  it("handles fields split across chunk boundaries, including a split CRLF", () => {
    const text = 'event: spend-updated\r\ndata: {"todayUsd":1}\r\n\r\n';
    const chunks = ["ev", "ent: spend-upd", "ated\r", "\ndata: {\"today", 'Usd":1}\r', "\n\r", "\n"];
    expect(chunks.join("")).toBe(text);
    expect(parseAll(chunks)).toEqual([{ event: "spend-updated", data: '{"todayUsd":1}' }]);
  });

  it("ignores comments, unknown fields and events without data", () => {
    expect(parseAll([": keep-alive\n\n", "retry: 10\nevent: ping\n\n", "id: 7\ndata:x\n\n"])).toEqual([
      { event: "message", data: "x", id: "7" },
    ]);
  });

  it("waits for the blank line before dispatching", () => {
    const parser = new SseParser();
    expect(parser.push("data: partial\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "message", data: "partial" }]);
  });
});

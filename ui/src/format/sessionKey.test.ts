import { describe, expect, it } from "vitest";
import { sessionLabel } from "./sessionKey";

describe("sessionLabel", () => {
  it.each([
    ["agent:main:main", "main · main"],
    ["agent:research:main", "research · main"],
    ["agent:main:subagent:7f1c2d9e-4b1a-4c7e-9a51-2f0e8b6d3c11", "main · sub-agent 7f1c…"],
    ["agent:main:cron:nightly-digest:run:5d2e9c", "main · cron nightly-digest"],
    ["agent:main:cron:nightly-digest", "main · cron nightly-digest"],
    ["agent:main:telegram:dm:42", "main · telegram:dm:42"],
    ["agent:main:subagent", "main · subagent"],
    ["agent:main", "agent:main"],
    ["global", "global"],
    ["", ""],
  ])("labels %s as %s", (key, expected) => {
    expect(sessionLabel(key)).toBe(expected);
  });
});

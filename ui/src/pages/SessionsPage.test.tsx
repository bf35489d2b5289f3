import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type Timeline } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { SESSION_ROWS, sessionPage, SPAWNER_TIMELINE, SPAWNER_TREE } from "../test/fakeSessions";
import { pending } from "../test/pending";
import { renderApp } from "../test/render";
import { FIRST_ENTRIES } from "./sessions/useTimeline";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

const SPAWNER = "/sessions?key=agent%3Amain%3Aspawner";
const rows = () => screen.getAllByTestId("session-row");
const entries = () => screen.getAllByTestId("entry");
const entry = (id: string) => entries().find((e) => e.dataset.entry === id)!;

describe("Sessions list", () => {
  it("shows every session with agent, readable name, kind, status, calls, tokens and cost", async () => {
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    expect(screen.getByTestId("session-count")).toHaveTextContent("6 sessions");
    expect(rows().map((r) => r.dataset.key)).toEqual(SESSION_ROWS.map((r) => r.key));
    const research = rows().find((r) => r.dataset.key === "agent:research:main")!;
    expect(research).toHaveTextContent("research · main");
    expect(research).toHaveTextContent("$1.20");
    const child = rows()[0];
    expect(child).toHaveTextContent("Sub-agent");
    expect(child).toHaveTextContent("Running");
    expect(rows().at(-1)).toHaveTextContent("Reset or deleted");
  });

  it("filters by status, agent and search, and offers to clear filters that match nothing", async () => {
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    await userEvent.selectOptions(screen.getByTestId("filter-status"), "running");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(backend.sessions).toHaveBeenLastCalledWith(expect.objectContaining({ status: "running", offset: 0 }));
    await userEvent.selectOptions(screen.getByTestId("filter-status"), "");
    await userEvent.selectOptions(screen.getByTestId("filter-agent"), "research");
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.type(screen.getByTestId("session-search"), "nothing like this");
    expect(await screen.findByTestId("sessions-empty")).toHaveTextContent("No session matches these filters.");
    await userEvent.click(screen.getByTestId("clear-filters"));
    await waitFor(() => expect(rows()).toHaveLength(6));
  });

  it("finds a session by what was said in it, in any language, and shows where", async () => {
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    await userEvent.type(screen.getByTestId("session-search"), "太阳帆");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].dataset.key).toBe("agent:research:main");
    expect(within(rows()[0]).getByTestId("session-said")).toHaveTextContent("“IKAROS proved solar sailing works: 太阳帆 in orbit since 2010.”");
    await userEvent.clear(screen.getByTestId("session-search"));
    await userEvent.type(screen.getByTestId("session-search"), "spawner");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByTestId("session-said")).not.toBeInTheDocument();
  });

  it("turns a time range into an instant the backend filters on", async () => {
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    const before = Date.now();
    await userEvent.selectOptions(screen.getByTestId("filter-range"), "d7");
    await waitFor(() => expect(backend.sessions).toHaveBeenLastCalledWith(expect.objectContaining({ sinceMs: expect.any(Number) as number })));
    const since = backend.sessions.mock.lastCall![0].sinceMs!;
    expect(before - since).toBeGreaterThanOrEqual(7 * 86_400_000 - 1_000);
    expect(before - since).toBeLessThan(7 * 86_400_000 + 60_000);
  });

  it("says so when there are no sessions at all, while loading, and on an error (with retry)", async () => {
    backend.sessions.mockImplementationOnce(() => pending<never>().promise);
    const view = renderApp(backend, "/sessions");
    expect(screen.getByTestId("sessions")).toBeInTheDocument();
    expect(screen.queryByTestId("session-row")).not.toBeInTheDocument();
    view.unmount();

    backend.sessions.mockImplementation((q) => Promise.resolve(sessionPage(q, [])));
    const empty = renderApp(backend, "/sessions");
    expect(await screen.findByTestId("sessions-empty")).toHaveTextContent("No sessions yet");
    empty.unmount();

    backend.sessions.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "ledger store error: disk I/O error"));
    backend.sessions.mockImplementation((q) => Promise.resolve(sessionPage(q)));
    renderApp(backend, "/sessions");
    expect(await screen.findByTestId("sessions-error")).toHaveTextContent("disk I/O error");
    await userEvent.click(within(screen.getByTestId("sessions-error")).getByRole("button", { name: /retry/i }));
    await screen.findAllByTestId("session-row");
  });

  it("renders only the rows on screen of 100,000 sessions and pages in more when scrolled to the end", async () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ ...SESSION_ROWS[2], key: `agent:main:s${i}`, title: `s${i}`, lastActivityMs: 1e12 - i }));
    backend.sessions.mockImplementation((q) => Promise.resolve(sessionPage(q, huge)));
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    expect(screen.getByTestId("session-count")).toHaveTextContent("100,000 sessions");
    expect(rows().length).toBeLessThan(60);
    expect(backend.sessions).toHaveBeenCalledWith(expect.objectContaining({ offset: 0, limit: 200 }));
  });

  it("opens a session from its row", async () => {
    renderApp(backend, "/sessions");
    await screen.findAllByTestId("session-row");
    await userEvent.click(rows().find((r) => r.dataset.key === "agent:main:spawner")!);
    expect(await screen.findByTestId("session-title")).toHaveTextContent("main · spawner");
    await screen.findAllByTestId("entry");
    await userEvent.click(screen.getByTestId("back-to-sessions"));
    await screen.findAllByTestId("session-row");
  });
});

describe("Session view", () => {
  it("shows the session's facts, its cost with its sub-agents, and every entry of the timeline by kind", async () => {
    renderApp(backend, SPAWNER);
    expect(await screen.findByTestId("session-title")).toHaveTextContent("main · spawner");
    expect(screen.getByTestId("session-cost")).toHaveTextContent("$0.31");
    expect(screen.getByTestId("session-rollup")).toHaveTextContent("$0.36 with its 1 sub-agent");
    await screen.findAllByTestId("entry");
    const kinds = entries().map((e) => e.dataset.kind);
    expect(kinds).toEqual(SPAWNER_TIMELINE.entries.map((e) => e.kind));
    expect(screen.getByTestId("timeline-count")).toHaveTextContent("11 entries");
    expect(within(entry("a1")).getByTestId("entry-call")).toHaveTextContent("anthropic/claude-sonnet-4-5 · 10,200 in · 80 out · $0.0123");
    expect(within(entry("e1")).getByTestId("entry-call")).toHaveTextContent("not billed here");
    expect(entry("e1")).toHaveClass("entry-failed");
    expect(screen.getAllByTestId("turn-head")[0]).toHaveTextContent("Turn 1: 2 calls");
  });

  it("renders markdown safely: no script, links go to the system browser", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    const user = entry("u1");
    expect(user.querySelector("strong")).toHaveTextContent("start");
    expect(user.querySelector("script")).toBeNull();
    await userEvent.click(within(user).getByRole("link", { name: "docs" }));
    expect(backend.openLink).toHaveBeenCalledWith("https://docs.openclaw.ai");
  });

  it("pairs a tool call with its result: jump between them, open the sub-agent it spawned", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    const call = entry("a1:tool:c1");
    expect(call).toHaveTextContent("sessions_spawn");
    expect(within(call).getByTestId("jump-pair")).toHaveTextContent("result · 0.4 s");
    await userEvent.click(within(call).getByTestId("jump-pair"));
    await waitFor(() => expect(entry("r1")).toHaveClass("entry-selected"));
    await userEvent.click(within(call).getByTestId("open-sub-agent"));
    await waitFor(() => expect(backend.sessionTimelineStart).toHaveBeenLastCalledWith("agent:main:subagent:7f1c", FIRST_ENTRIES));
    expect(await screen.findByTestId("timeline-error")).toHaveTextContent("OpenClaw keeps none for it");
  });

  it("filters to tools or errors, hides thinking, and searches within the session", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    await userEvent.click(screen.getByTestId("timeline-filter-tools"));
    expect(entries().map((e) => e.dataset.kind)).toEqual(["toolCall", "toolResult"]);
    await userEvent.click(screen.getByTestId("timeline-filter-errors"));
    expect(entries().map((e) => e.dataset.entry)).toEqual(["e1"]);
    await userEvent.click(screen.getByTestId("timeline-filter-all"));
    await userEvent.click(screen.getByTestId("show-thinking"));
    expect(entries().some((e) => e.dataset.kind === "thinking")).toBe(false);
    await userEvent.type(screen.getByTestId("timeline-search"), "sub-agent answered");
    expect(entries().map((e) => e.dataset.entry)).toEqual(["a2"]);
    expect(screen.getByTestId("timeline-count")).toHaveTextContent("1 of 11 entries");
    await userEvent.clear(screen.getByTestId("timeline-search"));
    await userEvent.type(screen.getByTestId("timeline-search"), "zzz");
    expect(screen.getByTestId("timeline-empty")).toHaveTextContent("No entry matches.");
  });

  it("shows a long result cut, and all of it on request", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    const result = entry("r1");
    expect(result).toHaveTextContent("Showing 2,000 of 9,000 characters.");
    await userEvent.click(within(result).getByTestId("show-all"));
    await waitFor(() => expect(within(entry("r1")).queryByTestId("show-all")).not.toBeInTheDocument());
    expect(backend.sessionEntry).toHaveBeenCalledWith("agent:main:spawner", "r1");
    expect(entry("r1").querySelector("pre")!.textContent).toHaveLength(9_000);
  });

  it("opens at the entry a link names", async () => {
    renderApp(backend, `${SPAWNER}&entry=cp`);
    await screen.findAllByTestId("entry");
    await waitFor(() => expect(entry("cp")).toHaveClass("entry-selected"));
  });

  it("shows the sub-agent tree with costs rolled up, and opens a node", async () => {
    renderApp(backend, SPAWNER);
    await screen.findByTestId("session-title");
    await userEvent.click(screen.getByTestId("session-tab-tree"));
    const nodes = screen.getAllByTestId("tree-node");
    expect(nodes.map((n) => [n.dataset.key, n.dataset.depth])).toEqual([
      ["agent:main:spawner", "0"],
      ["agent:main:subagent:7f1c", "1"],
    ]);
    expect(within(nodes[0]).getByTestId("tree-rollup")).toHaveTextContent("$0.36 with 1 below");
    // The task a sub-agent was given; the root was given none.
    expect(within(nodes[1]).getByTestId("tree-task")).toHaveTextContent("Task: Reply with the word PONG.");
    expect(within(nodes[0]).queryByTestId("tree-task")).toBeNull();
    // The run the spawner made to report it: the spawner's own cost, opened from there.
    const announce = within(nodes[1]).getByTestId("tree-announce");
    expect(announce).toHaveTextContent("Reported back by an announce run in main · ");
    expect(announce).toHaveTextContent(": 1 call · $0.02 (in that session's cost)");
    expect(within(nodes[0]).queryByTestId("tree-announce")).toBeNull();
    await userEvent.click(within(nodes[1]).getByRole("button", { name: /stub-child/ }));
    await waitFor(() => expect(backend.sessionTree).toHaveBeenLastCalledWith("agent:main:subagent:7f1c"));
  });

  it("exports the whole session as JSON or Markdown through a save dialog", async () => {
    renderApp(backend, SPAWNER);
    await screen.findByTestId("session-title");
    await userEvent.click(screen.getByTestId("export-markdown"));
    expect(await screen.findByTestId("export-saved")).toHaveTextContent("Saved agent_main_spawner.md.");
    expect(backend.sessionExport).toHaveBeenCalledWith("agent:main:spawner", "markdown");
    expect(backend.saveFile).toHaveBeenCalledWith("agent_main_spawner.md", "# agent:main:spawner\n", "md");
    backend.saveFile.mockResolvedValueOnce(false);
    await userEvent.click(screen.getByTestId("export-json"));
    await waitFor(() => expect(screen.queryByTestId("export-saved")).not.toBeInTheDocument());
    expect(backend.sessionExport).toHaveBeenLastCalledWith("agent:main:spawner", "json");
  });

  it("reads the timeline again when the gateway reports activity in this session", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    const more: Timeline = {
      ...SPAWNER_TIMELINE,
      entries: [...SPAWNER_TIMELINE.entries, { ...SPAWNER_TIMELINE.entries[2], id: "u2", text: "And one more thing." }],
      totalEntries: 12,
    };
    backend.sessionTimelineSince.mockResolvedValue(more);
    act(() => backend.pushActivity({ tsMs: 1, kind: "tool", sessionKey: "agent:main:other", agentId: "main", runId: null, summary: "tool exec" }));
    act(() => backend.pushActivity({ tsMs: 2, kind: "run.ended", sessionKey: "agent:main:spawner", agentId: "main", runId: "r", summary: "run ended" }));
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("12 entries"));
    // The first read brought it whole (11 entries); the event read again all of its few entries.
    expect(backend.sessionTimelineStart).toHaveBeenCalledTimes(1);
    expect(backend.sessionTimelineSince).toHaveBeenCalledExactlyOnceWith("agent:main:spawner", 0, null);
    expect(backend.sessionTimeline).not.toHaveBeenCalled();
  });

  it("reads again only the end of a long timeline that grows, and lays it over what it shows", async () => {
    const long: Timeline = {
      ...SPAWNER_TIMELINE,
      totalEntries: 500,
      entries: Array.from({ length: 500 }, (_, i) => ({ ...SPAWNER_TIMELINE.entries[3], id: `m${i}`, text: `answer ${i}` })),
    };
    backend.sessionTimelineStart.mockResolvedValue({ ...long, entries: long.entries.slice(0, FIRST_ENTRIES), totalEntries: null });
    backend.sessionTimeline.mockResolvedValue(long);
    renderApp(backend, SPAWNER);
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("500 entries"));
    const end = [...long.entries.slice(300), { ...long.entries[0], id: "m500", text: "a new answer" }];
    backend.sessionTimelineSince.mockResolvedValue({ ...long, entries: end, totalEntries: 501, offset: 300 });
    act(() => backend.pushSessionsChanged(["agent:main:spawner"]));
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("501 entries"));
    // Its last 200 entries again (tool results and costs land there), checked by the id before.
    expect(backend.sessionTimelineSince).toHaveBeenCalledExactlyOnceWith("agent:main:spawner", 300, "m299");
    expect(backend.sessionTimeline).toHaveBeenCalledTimes(1);
  });

  it("reads the timeline again when the ledger stored new entries of this session", async () => {
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    backend.sessionTimelineSince.mockResolvedValue({ ...SPAWNER_TIMELINE, entries: SPAWNER_TIMELINE.entries.slice(0, 3), totalEntries: 3 });
    act(() => backend.pushSessionsChanged(["agent:main:other"]));
    act(() => backend.pushSessionsChanged(["agent:main:spawner"]));
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("3 entries"));
    expect(backend.sessionTimelineSince).toHaveBeenCalledTimes(1);
  });

  it("reads a running session's timeline again every 2 s, without reading its tree again", async () => {
    const running = { ...SPAWNER_TREE.nodes[0], session: { ...SPAWNER_TREE.nodes[0].session, status: "running" as const } };
    backend.sessionTree.mockResolvedValue({ ...SPAWNER_TREE, nodes: [running, SPAWNER_TREE.nodes[1]] });
    renderApp(backend, SPAWNER);
    expect(await screen.findByTestId("session-status")).toHaveTextContent("Running");
    await waitFor(() => expect(backend.sessionTimelineSince).toHaveBeenCalledTimes(1), { timeout: 3_000 });
    expect(backend.sessionTree).toHaveBeenCalledTimes(1);
  });

  it("shows a 20,000-entry session's first entries at once, then all of them, rendering only those on screen", async () => {
    const huge: Timeline = {
      ...SPAWNER_TIMELINE,
      totalEntries: 20_000,
      entries: Array.from({ length: 20_000 }, (_, i) => ({ ...SPAWNER_TIMELINE.entries[3], id: `m${i}`, text: `answer ${i}` })),
    };
    let arrive: (whole: Timeline) => void = () => {};
    backend.sessionTimeline.mockReturnValue(new Promise<Timeline>((resolve) => (arrive = resolve)));
    backend.sessionTimelineStart.mockResolvedValue({ ...huge, entries: huge.entries.slice(0, FIRST_ENTRIES), totalEntries: null });
    renderApp(backend, SPAWNER);
    await screen.findAllByTestId("entry");
    // Its first entries at once, filters and search waiting for the rest…
    expect(screen.getByTestId("timeline-count")).toHaveTextContent("First 200 entries, reading the rest…");
    expect(screen.getByTestId("timeline-search")).toBeDisabled();
    expect(screen.getByTestId("show-thinking")).toBeDisabled();
    // (asked for once they are on screen)
    await waitFor(() => expect(backend.sessionTimeline).toHaveBeenCalledWith("agent:main:spawner"));
    // …then all of them, only those on screen rendered.
    act(() => arrive(huge));
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("20,000 entries"));
    expect(screen.getByTestId("timeline-count")).not.toHaveTextContent("First");
    expect(screen.getByTestId("timeline-search")).toBeEnabled();
    expect(entries().length).toBeLessThan(40);
  });

  it("says when the rest of a long timeline cannot be read, and reads it from the start on Retry", async () => {
    backend.sessionTimelineStart.mockResolvedValueOnce({ ...SPAWNER_TIMELINE, entries: SPAWNER_TIMELINE.entries.slice(0, 2) });
    backend.sessionTimeline.mockRejectedValueOnce(new BackendError("IO", "reading the transcript: permission denied"));
    renderApp(backend, SPAWNER);
    expect(await screen.findByTestId("timeline-error")).toHaveTextContent("permission denied");
    await userEvent.click(within(screen.getByTestId("timeline-error")).getByRole("button", { name: /retry/i }));
    await waitFor(() => expect(screen.getByTestId("timeline-count")).toHaveTextContent("11 entries"));
    expect(backend.sessionTimelineStart).toHaveBeenCalledTimes(2);
  });

  it("says when the session's tree cannot be read, and when a transcript has no entries", async () => {
    backend.sessionTree.mockRejectedValueOnce(new BackendError("NOT_FOUND", "no session agent:main:spawner"));
    backend.sessionTimelineStart.mockResolvedValueOnce({ ...SPAWNER_TIMELINE, entries: [], totalEntries: 0 });
    renderApp(backend, SPAWNER);
    expect(await screen.findByTestId("session-error")).toHaveTextContent("no session agent:main:spawner");
    expect(await screen.findByTestId("timeline-empty")).toHaveTextContent("This transcript has no entries yet.");
  });
});

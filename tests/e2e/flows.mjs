// User flows both end-to-end suites run — the desktop app (app.test.mjs) and a browser on
// `clawtower serve` (browser.test.mjs) — so every page that works in the app is checked to work
// in the browser the same way. The desktop suite adds its tray and notification checks around them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { Key } from "selenium-webdriver";
import { byTestId, click, CLI, freePort, matching, textOf } from "./harness.mjs";

/**
 * A model router for the run: a canned OpenAI-style upstream on a free loopback port (every chat
 * completion answers "hi" with 12 + 3 tokens) and `router.toml` in the data dir of `env`, so the
 * app or `clawtower serve` started with `env` runs the router. Resolves with the router's URL and
 * a stop() for the upstream.
 */
export async function prepareRouter(env) {
  const upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({
        id: "chatcmpl-e2e", object: "chat.completion", model: "stub-model",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      }));
    });
  });
  await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const port = await freePort();
  mkdirSync(env.CLAWTOWER_DATA_DIR, { recursive: true });
  writeFileSync(join(env.CLAWTOWER_DATA_DIR, "router.toml"), [
    "[router]", `listen = "127.0.0.1:${port}"`,
    "[[providers]]", 'id = "stub"', 'kind = "openai"',
    `base_url = "http://127.0.0.1:${upstream.address().port}/v1"`, 'models = ["stub-model"]', "",
  ].join("\n"));
  return { url: `http://127.0.0.1:${port}`, stop: () => upstream.close() };
}

/**
 * The Router page's request log is live: a call through the router and one it refuses (a model
 * no route knows) appear without Refresh — the refused one with its status and reason, the other
 * with its tokens — newest first.
 */
export async function routerLogLive(driver, env, routerUrl) {
  const made = execFileSync(CLI, ["--data-dir", env.CLAWTOWER_DATA_DIR, "keys", "create", "--agent", "e2e-agent", "--json"], { env });
  const { key } = JSON.parse(made.toString());
  await (await byTestId(driver, "nav-router")).click();
  await byTestId(driver, "router-recent-empty");
  const call = (model) => fetch(`${routerUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal((await call("stub/stub-model")).status, 200);
  assert.equal((await call("no-such-model")).status, 404);
  let rows = [];
  await driver.wait(async () => {
    rows = await matching(driver, "[data-testid=router-call]", ["textContent"]);
    return rows.length === 2;
  }, 15000, "the request log never showed both calls without a Refresh");
  assert.match(rows[0].textContent, /no-such-model/);
  assert.match(rows[0].textContent, /Refused/);
  assert.match(rows[0].textContent, /HTTP 404/);
  assert.match(rows[0].textContent, /agent e2e-agent/);
  assert.match(rows[1].textContent, /stub\/stub-model/);
  assert.match(rows[1].textContent, /OK/);
  assert.match(rows[1].textContent, /15 tokens/);
}

/** Every page of the sidebar. */
export const PAGES = ["overview", "sessions", "usage", "budgets", "router", "agents", "crons", "logs", "health", "settings"];

/**
 * Appends one assistant message with this usage (and cost) to the main session's transcript of
 * the OpenClaw state dir in `env`, as OpenClaw ≤ 2026.7.1 writes a model call.
 */
export function appendCall(env, id, usage) {
  const transcript = join(env.OPENCLAW_STATE_DIR, "agents", "main", "sessions", "0f5d3c1e-7c1a-4b7e-9c1d-2a6f4f0e9b11.jsonl");
  const call = {
    type: "message", id, parentId: null, timestamp: new Date().toISOString(),
    message: {
      role: "assistant", content: [{ type: "text", text: "hi" }], api: "openai-completions",
      provider: "stub", model: "stub-model", stopReason: "stop", timestamp: Date.now(), usage,
    },
  };
  appendFileSync(transcript, JSON.stringify(call) + "\n");
}

/** The Overview lists what the doctor found of the fixture's OpenClaw, never its token. */
export async function doctorFound(driver) {
  const checks = await byTestId(driver, "doctor-checks");
  await driver.wait(async () => (await checks.getText()).includes("OpenClaw state directory"), 15000);
  const text = await checks.getText();
  assert.match(text, /main \(1 session\)/);
  assert.match(text, /research/);
  assert.match(text, /no gateway answers/i);
  assert.doesNotMatch(await driver.getPageSource(), /e2e-token-never-shown/);
}

/** The Overview says the local gateway (port 9: nothing there) is unreachable and how to start it. */
export async function gatewayUnreachable(driver) {
  await byTestId(driver, "gateway-status");
  let rows = [];
  await driver.wait(async () => {
    rows = await matching(driver, "[data-testid=gateway-status]", ["data-state", "textContent"]);
    return rows[0]?.["data-state"] === "error";
  }, 20000, "the gateway state never became error");
  const text = rows[0].textContent;
  assert.match(text, /no gateway answers at ws:\/\/127\.0\.0\.1:9\//);
  assert.match(text, /openclaw gateway run/);
}

/**
 * Adds a gateway by URL on the Overview's card (its failed connection shows on its row), removes
 * it, undoes the removal and removes it again. `tray`, when given, checks the tray after each
 * step: `tray(true)` waits for its line, `tray(false)` for it to be gone.
 */
export async function gatewayAddedAndRemoved(driver, tray = async () => {}) {
  await (await byTestId(driver, "add-gateway")).click();
  await (await byTestId(driver, "gateway-url")).sendKeys("ws://127.0.0.1:10/");
  await (await byTestId(driver, "gateway-name")).sendKeys("Build box");
  await (await byTestId(driver, "gateway-auth")).sendKeys("Token");
  await (await byTestId(driver, "gateway-secret")).sendKeys("e2e-gateway-secret");
  await (await byTestId(driver, "gateway-save")).click();
  // The new row can show (a live event) before the dialog, with the typed secret, has closed.
  await driver.wait(async () => (await matching(driver, "[data-testid=gateway-dialog]")).length === 0, 10000,
    "the Add gateway dialog stayed open");
  const added = "[data-testid=gateway-row][data-gateway-id='1']";
  let rows = [];
  await driver.wait(async () => {
    rows = await matching(driver, added, ["data-state", "textContent"]);
    return rows.length === 1 && rows[0]["data-state"] === "error";
  }, 20000, "the added gateway never showed its failed connection");
  const text = rows[0].textContent;
  assert.match(text, /Build box/);
  assert.match(text, /no gateway answers at ws:\/\/127\.0\.0\.1:10\//);
  assert.match(text, /token/i);
  assert.doesNotMatch(await driver.getPageSource(), /e2e-gateway-secret/, "the secret came back to the page");
  await tray(true);
  // Remove, Undo, Remove again (the next tests expect the local gateway alone).
  const removeIt = async () => {
    await (await byTestId(driver, "gateway-remove-1")).click();
    await driver.wait(async () => (await matching(driver, added)).length === 0, 10000, "the row stayed after Remove");
  };
  await removeIt();
  await tray(false);
  const snackbar = await byTestId(driver, "gateway-removed");
  await (await snackbar.findElement({ css: ".snackbar-action" })).click();
  await driver.wait(async () => (await matching(driver, added)).length === 1, 10000, "Undo did not bring the gateway back");
  await tray(true);
  await removeIt();
}

/** The sidebar reaches every page, each with a title. */
export async function everyPage(driver) {
  for (const page of PAGES) {
    await (await byTestId(driver, `nav-${page}`)).click();
    const root = await byTestId(driver, `page-${page}`);
    const heading = await root.findElement({ css: "h1" });
    assert.ok((await heading.getText()).trim().length > 0, `page ${page} has an empty title`);
  }
}

/** The dark theme applies at once and comes back from the engine after a reload; then back to system. */
export async function themeSurvivesReload(driver) {
  await (await byTestId(driver, "nav-settings")).click();
  await (await byTestId(driver, "theme-dark")).click();
  const theme = () => driver.executeScript("return document.documentElement.dataset.theme");
  await driver.wait(async () => (await theme()) === "dark", 10000, "dark theme not applied");
  await driver.navigate().refresh();
  await byTestId(driver, "page-settings"); // the hash route survives the reload
  await driver.wait(async () => (await theme()) === "dark", 10000, "theme not restored from the engine");
  await (await byTestId(driver, "nav-settings")).click();
  await (await byTestId(driver, "theme-system")).click();
}

/**
 * The cron job dialog previews a schedule's next runs as it is typed, computed by the engine
 * (Croner, as OpenClaw's scheduler) in the schedule's zone; a wrong field is said at once. Needs
 * no gateway: the dialog is closed without saving.
 */
export async function cronScheduleNextRuns(driver) {
  await (await byTestId(driver, "nav-crons")).click();
  await (await byTestId(driver, "add-cron")).click();
  await (await byTestId(driver, "cron-kind-cron")).click();
  const expr = await byTestId(driver, "cron-expr");
  await expr.clear();
  await expr.sendKeys("30 8 * * 1-5");
  const tz = await byTestId(driver, "cron-tz");
  await tz.clear();
  await tz.sendKeys("Asia/Tokyo");
  let runs = [];
  await driver.wait(async () => {
    runs = (await matching(driver, "[data-testid=cron-preview-run]", ["textContent"])).map((r) => r.textContent);
    const hint = (await matching(driver, "[data-testid=cron-preview]", ["textContent"]))[0]?.textContent ?? "";
    return hint.includes("weekdays at 08:30 (Asia/Tokyo)") && runs.length === 5;
  }, 10000, "the next runs of a weekday schedule never showed");
  assert.ok(runs.every((r) => r.includes("08:30")), `runs not at 08:30 Tokyo time: ${runs}`);
  assert.ok(runs.every((r) => !/Sat|Sun/.test(r)), `a weekend run in ${runs}`);
  await expr.clear();
  await expr.sendKeys("0 25 * * *");
  await driver.wait(async () => (await matching(driver, "[data-testid=cron-preview-error]", ["textContent"]))[0]?.textContent
    ?.includes("the hour field has 25: it runs 0–23"), 10000, "a wrong hour was never said");
  await expr.sendKeys(Key.ESCAPE);
  await driver.wait(async () => (await matching(driver, "[data-testid=cron-dialog]")).length === 0, 10000, "the dialog never closed");
}

/** A weekly $50 budget made in the Budgets page's dialog appears as a second row. */
export async function weeklyBudgetFromTheDialog(driver) {
  await (await byTestId(driver, "new-budget")).click();
  await (await byTestId(driver, "budget-name")).sendKeys("Weekly");
  await (await byTestId(driver, "budget-limit")).sendKeys("50");
  await (await byTestId(driver, "budget-window-kind")).sendKeys("week");
  await (await byTestId(driver, "budget-save")).click();
  await driver.wait(async () => (await matching(driver, "[data-testid=budget-row]")).length === 2, 10000,
    "the new budget never appeared");
}

/** The research agent's spawner session and its sub-agent (fixture: agents/research/sessions). */
const SPAWNER = "agent:research:main";
const SUMMARISER = "agent:research:subagent:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

/** Each entry of the open timeline as [kind, text]. */
async function timelineEntries(driver) {
  return (await matching(driver, "[data-testid=entry]", ["data-kind", "textContent"])).map((e) => [e["data-kind"], e.textContent]);
}

/**
 * Sessions: the list names each session with its agent and cost; a session opens its timeline
 * (every kind of entry the transcript holds), filters to tools, and opens its sub-agent from the
 * tree. `shoot(name)`, when given, saves a screenshot of each view.
 */
export async function sessionsTimelineAndTree(driver, shoot = async () => {}) {
  await (await byTestId(driver, "nav-sessions")).click();
  const row = `[data-testid=session-row][data-key='${SPAWNER}']`;
  await driver.wait(async () => (await matching(driver, row)).length === 1, 20000, "the research agent's main session is not listed");
  const [listed] = await matching(driver, row, ["textContent"]);
  assert.match(listed.textContent, /research · main/);
  assert.match(listed.textContent, /\$0\.04/);
  await shoot("sessions");
  await click(driver, row);
  await driver.wait(async () => (await timelineEntries(driver)).length >= 9, 15000, "the timeline never showed its entries");
  await driver.wait(async () => /research · main/.test(await textOf(driver, "[data-testid=session-title]")), 10000,
    "the session's title is not research · main");
  const kinds = new Set((await timelineEntries(driver)).map(([kind]) => kind));
  for (const kind of ["modelChange", "user", "assistant", "thinking", "toolCall", "toolResult", "error"]) {
    assert.ok(kinds.has(kind), `the timeline has no ${kind} entry: ${[...kinds]}`);
  }
  await shoot("session-timeline");
  await (await byTestId(driver, "timeline-filter-tools")).click();
  await driver.wait(async () => {
    const shown = await timelineEntries(driver);
    return shown.length === 4 && shown.every(([kind]) => kind === "toolCall" || kind === "toolResult");
  }, 10000, "Tools did not narrow the timeline to the two calls and their results");
  await click(driver, "[data-testid=session-tab-tree]");
  const child = `[data-testid=tree-node][data-key='${SUMMARISER}'] button`;
  await driver.wait(async () => (await matching(driver, child)).length === 1, 10000, "the tree does not show the sub-agent");
  const [rollup] = await matching(driver, "[data-testid=tree-rollup]", ["textContent"]);
  assert.match(rollup.textContent, /with 1 below/);
  await shoot("session-tree");
  await click(driver, child);
  await driver.wait(async () => /research · summariser/.test(await textOf(driver, "[data-testid=session-title]")), 10000,
    "the sub-agent did not open from the tree");
  await click(driver, "[data-testid=session-tab-timeline]");
  await driver.wait(async () => (await timelineEntries(driver)).some(([kind, text]) => kind === "assistant" && /IKAROS proved/.test(text)), 10000,
    "the sub-agent's answer is not in its timeline");
}

/** A line OpenClaw appends to the open sub-agent's transcript appears in its timeline, live. */
export async function timelineUpdatesLive(driver, env) {
  const transcript = join(env.OPENCLAW_STATE_DIR, "agents", "research", "sessions", "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3.jsonl");
  const entry = {
    type: "message", id: "s0000003", parentId: "s0000002", timestamp: new Date().toISOString(),
    message: { role: "user", content: "One more: what about Sunjammer?", timestamp: Date.now() },
  };
  appendFileSync(transcript, JSON.stringify(entry) + "\n");
  await driver.wait(async () => (await timelineEntries(driver)).some(([kind, text]) => kind === "user" && /Sunjammer/.test(text)), 15000,
    "the appended entry never appeared in the open timeline");
}

/** A USD amount as the UI shows it: cents, or 4 decimals under a cent. */
function usd(value) {
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/**
 * Usage: all time shows what `clawtower report` totals (the same ledger, read the same way);
 * stacked by agent the legend names every agent the report has; the sessions table opens a session. `shoot(name)`
 * saves a screenshot of the page.
 */
export async function usageMatchesTheReport(driver, env, shoot = async () => {}) {
  await (await byTestId(driver, "nav-usage")).click();
  await (await byTestId(driver, "usage-window-all")).click();
  const report = () => JSON.parse(execFileSync(CLI, ["--data-dir", env.CLAWTOWER_DATA_DIR, "report", "agent", "--json"], { env }).toString());
  const expected = () => usd(report().totals.costUsd);
  let shown = "";
  await driver.wait(async () => {
    // textContent: WebKitWebDriver's getText reads nothing in these cards.
    [{ textContent: shown } = { textContent: "" }] = await matching(driver, "[data-testid=usage-cost]", ["textContent"]);
    return shown === expected();
  }, 20000, () => `Usage shows ${shown}, the report totals ${expected()}`);
  await driver.wait(async () => (await matching(driver, "[data-testid=usage-chart] canvas")).length > 0, 10000, "no chart was drawn");
  await driver.executeScript("document.querySelector('[data-testid=usage-chart-card]').scrollIntoView({ block: 'end' })");
  await shoot("usage");
  // Typed into the select, as the budget dialog is (WebKitWebDriver does not click options).
  await (await byTestId(driver, "usage-stack")).sendKeys("Agent");
  const agents = report().rows.map((row) => row.key);
  await driver.wait(async () => {
    const [legend] = await matching(driver, "[data-testid=usage-legend]", ["textContent"]);
    return legend && agents.every((agent) => legend.textContent.includes(agent));
  }, 10000, `stacked by agent, the legend does not name every agent the report has: ${agents}`);
  await (await byTestId(driver, "usage-table-sessions")).click();
  const row = `[data-testid=usage-row][data-key='${SPAWNER}'] a`;
  await driver.wait(async () => (await matching(driver, row)).length === 1, 10000, "the research agent's main session is not in the sessions table");
  await click(driver, row);
  await driver.wait(async () => /research · main/.test(await textOf(driver, "[data-testid=session-title]")), 10000,
    "the session did not open from the usage table");
}

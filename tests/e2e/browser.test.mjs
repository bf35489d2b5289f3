// End-to-end in a real browser: headless Chromium (Debian's chromium + chromium-driver) on the
// dashboard `clawtower serve` embeds, over HTTP and SSE, with a real ledger fed by the fixture's
// OpenClaw state dir. The same flows as the desktop suite (flows.mjs), minus the tray. Run with
// `make browser-e2e` (or `make test`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Builder } from "selenium-webdriver";
import chrome from "selenium-webdriver/chrome.js";
import { CLI, isolatedEnv, freePort, byTestId, matching, waitForText } from "./harness.mjs";
import * as flows from "./flows.mjs";

let ctx;
let serve;
let router;
let driver;

/** `clawtower serve` on a free loopback port; resolves once it printed its sign-in link. */
async function startServe(env) {
  const port = await freePort();
  const proc = spawn(CLI, ["serve", "--bind", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", "pipe"] });
  const lines = [];
  const link = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`clawtower serve printed no link in 30 s:\n${lines.join("\n")}`)), 30000);
    createInterface({ input: proc.stderr }).on("line", (line) => {
      lines.push(line);
      const found = line.match(/(http:\/\/\S+#token=\S+)/);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`clawtower serve exited (${code}):\n${lines.join("\n")}`)); });
  });
  return { base: `http://127.0.0.1:${port}/`, link, lines, stop: () => proc.kill("SIGINT") };
}

/** Headless Chromium through chromedriver (never a downloaded one); downloads go to `downloads`. */
async function startBrowser() {
  const options = new chrome.Options()
    .setChromeBinaryPath(process.env.CLAWTOWER_CHROMIUM ?? "/usr/bin/chromium")
    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,860")
    .setUserPreferences({ "download.default_directory": downloads, "download.prompt_for_download": false });
  const service = new chrome.ServiceBuilder(process.env.CLAWTOWER_CHROMEDRIVER ?? "/usr/bin/chromedriver");
  return new Builder().forBrowser("chrome").setChromeOptions(options).setChromeService(service).build();
}

/**
 * Saves a screenshot of the page as `<name>.png`: into docs/screenshots with `make screenshot`
 * (CLAWTOWER_SCREENSHOTS), else with the run's files.
 */
async function shoot(name) {
  const dir = process.env.CLAWTOWER_SCREENSHOTS ?? ctx.root;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.png`), Buffer.from(await driver.takeScreenshot(), "base64"));
}

let downloads;

before(async () => {
  ctx = isolatedEnv();
  downloads = join(ctx.root, "downloads");
  mkdirSync(downloads, { recursive: true });
  router = await flows.prepareRouter(ctx.env);
  serve = await startServe(ctx.env);
  driver = await startBrowser();
});

after(async () => {
  await driver?.quit().catch(() => {});
  serve?.stop();
  router?.stop();
});

test("the printed link signs the browser in, and the token leaves the address bar at once", async () => {
  await driver.get(serve.link);
  await byTestId(driver, "page-overview");
  assert.doesNotMatch(await driver.getCurrentUrl(), /token/);
  // The spend comes from the engine's ledger over HTTP.
  await waitForText(driver, "spend-today", "$0.00");
  await waitForText(driver, "tray-label", "$0.00 today");
  // The session lives in an HttpOnly cookie: no script can read it, nothing keeps the token.
  const kept = await driver.executeScript(
    "return [document.cookie, JSON.stringify(sessionStorage), JSON.stringify(localStorage)].join(' ')");
  assert.doesNotMatch(kept, /clawtower_session/);
  assert.doesNotMatch(kept, new RegExp(serve.link.split("#token=")[1]));
});

test("the Overview reports what the doctor found of OpenClaw", async () => {
  await flows.doctorFound(driver);
});

test("the Overview says the gateway is unreachable and how to start it", async () => {
  await flows.gatewayUnreachable(driver);
});

test("a gateway added by URL is followed, and Remove can be undone", async () => {
  await flows.gatewayAddedAndRemoved(driver);
});

test("navigation reaches every page", async () => {
  await flows.everyPage(driver);
});

test("the cron job dialog shows a schedule's next runs in its zone as it is typed", async () => {
  await flows.cronScheduleNextRuns(driver);
});

test("a model call OpenClaw writes to a transcript reaches the Overview live (SSE)", async () => {
  await (await byTestId(driver, "nav-overview")).click();
  await waitForText(driver, "spend-today", "$0.00");
  flows.appendCall(ctx.env, "browser-call-1", { input: 1000, output: 50, cacheRead: 4000, cacheWrite: 0, totalTokens: 5050,
    cost: { input: 1.0, output: 0.2, cacheRead: 0.034, cacheWrite: 0, total: 1.234 } });
  // No reload and no navigation: the page hears of it through the event stream.
  await waitForText(driver, "spend-today", "$1.23", 10000);
  const agents = async () => (await matching(driver, "[data-testid=top-agents]", ["textContent"]))[0]?.textContent ?? "";
  await driver.wait(async () => (await agents()).includes("$1.23"), 10000, "the top agents list never showed main at $1.23");
});

// Before any budget exists: a spent budget over all agents refuses every routed call.
test("the Router page's request log shows calls and refusals live (SSE)", async () => {
  await flows.routerLogLive(driver, ctx.env, router.url);
});

test("the Budgets page shows a budget live, and one made in its dialog is stored", async () => {
  execFileSync(CLI, ["--data-dir", ctx.env.CLAWTOWER_DATA_DIR, "budget", "set", "--limit", "2", "--name", "Daily cap"], { env: ctx.env });
  await (await byTestId(driver, "nav-budgets")).click();
  await byTestId(driver, "page-budgets");
  await waitForText(driver, "budget-label", "$1.23 / $2");
  await waitForText(driver, "nav-badge-budgets", "1 (1 unacknowledged alert)");
  await flows.weeklyBudgetFromTheDialog(driver);
  const listed = execFileSync(CLI, ["--data-dir", ctx.env.CLAWTOWER_DATA_DIR, "budget", "list"], { env: ctx.env }).toString();
  assert.match(listed, /Weekly/);
  await (await byTestId(driver, "acknowledge-all")).click();
  await driver.wait(async () => (await matching(driver, "[data-testid=nav-badge-budgets]")).length === 0, 10000,
    "the alert badge stayed after acknowledging");
});

test("Sessions: the list, a timeline filtered to tools, a sub-agent from the tree, live entries and an export", async () => {
  await flows.sessionsTimelineAndTree(driver, shoot);
  await flows.timelineUpdatesLive(driver, ctx.env);
  // The whole session as Markdown, through the browser's download (no dialog in headless Chromium).
  await (await byTestId(driver, "export-markdown")).click();
  await waitForText(driver, "export-saved", "Saved agent_research_subagent_9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a.md.");
  const file = join(downloads, "agent_research_subagent_9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a.md");
  await driver.wait(async () => existsSync(file), 10000, "the export never reached the download folder");
  const markdown = readFileSync(file, "utf8");
  assert.match(markdown, /^# research · summariser/);
  assert.match(markdown, /IKAROS proved solar sailing/);
  assert.match(markdown, /Sunjammer/);
});

test("Usage: all time equals the report, stacked by agent, a session opens from its table, CSV export", async () => {
  await flows.usageMatchesTheReport(driver, ctx.env, shoot);
  await (await byTestId(driver, "nav-usage")).click();
  await (await byTestId(driver, "usage-export-csv")).click();
  await waitForText(driver, "usage-export-saved", "Saved clawtower-usage-last-30-days.csv.");
  const file = join(downloads, "clawtower-usage-last-30-days.csv");
  await driver.wait(async () => existsSync(file), 10000, "the export never reached the download folder");
  const csv = readFileSync(file, "utf8");
  assert.match(csv, /^table,key,label,agent,calls,/);
  assert.match(csv, /\ntotal,total,total,/);
});

test("the theme setting applies at once and survives a reload (the cookie keeps the browser signed in)", async () => {
  await flows.themeSurvivesReload(driver);
});

test("launch at login is left to the desktop app", async () => {
  await (await byTestId(driver, "nav-settings")).click();
  await byTestId(driver, "page-settings");
  assert.equal((await matching(driver, "[data-testid=launch-at-login]")).length, 0);
  const text = await (await byTestId(driver, "page-settings")).getText();
  assert.match(text, /Set in the desktop app/);
});

test("a browser without the cookie is not signed in, and says what to do", async () => {
  await driver.manage().deleteAllCookies();
  await driver.get(serve.base);
  const panel = await byTestId(driver, "error-panel");
  assert.match(await panel.getText(), /Not signed in/);
  assert.match(await panel.getText(), /clawtower serve/);
});

// End-to-end: the real Clawtower binary, its real IPC, tray and notifications, under Xvfb with a
// private D-Bus session bus. Run with `make e2e` (or `make test`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { join, dirname } from "node:path";
import { APP, CLI, isolatedEnv, launch, byTestId, matching, waitForText, desktopBus, x11 } from "./harness.mjs";
import * as flows from "./flows.mjs";

let ctx;
let session;

/** Appends one model call to the fixture's transcript (see flows.appendCall). */
const appendCall = (id, usage) => flows.appendCall(ctx.env, id, usage);

/** The tray item's menu as [label, enabled] pairs (separators left out), or null while no item is registered. */
async function trayMenu() {
  const item = (await desktopBus("tray")).items.find((i) => !i.error);
  return item ? item.menu.filter((e) => e.type !== "separator").map((e) => [e.label, e.enabled]) : null;
}

let router;

before(async () => {
  ctx = isolatedEnv();
  router = await flows.prepareRouter(ctx.env);
  session = await launch(ctx.env);
});

after(async () => {
  await session?.stop();
  router?.stop();
});

test("the window opens and the Overview shows spend that crossed the real IPC", async () => {
  const { driver } = session;
  assert.equal(await driver.getTitle(), "Clawtower");
  await byTestId(driver, "page-overview");
  assert.equal(await driver.executeScript("return typeof window.__TAURI_INTERNALS__"), "object");
  // "$0.00" comes from the engine's SQLite ledger through the spend_summary command.
  await waitForText(driver, "spend-today", "$0.00");
  await waitForText(driver, "tray-label", "$0.00 today");
});

test("the Overview reports what the doctor found of OpenClaw", async () => {
  await flows.doctorFound(session.driver);
});

test("the Overview says the gateway is unreachable and how to start it", async () => {
  // OPENCLAW_GATEWAY_PORT=9 in the isolated environment: nothing listens there.
  await flows.gatewayUnreachable(session.driver);
});

test("a gateway added by URL is followed: its row and a tray line show its state, and Remove can be undone", async () => {
  const { driver } = session;
  const line = (menu) => menu?.some(([label]) => label === "Build box: not connected");
  let menu = null;
  await flows.gatewayAddedAndRemoved(driver, async (listed) => {
    await driver.wait(async () => line(menu = await trayMenu()) === listed, 10000,
      () => `the tray menu ${listed ? "never listed" : "kept"} the added gateway: ${JSON.stringify(menu)}`);
  });
});

test("navigation reaches every page", async () => {
  await flows.everyPage(session.driver);
});

test("the cron job dialog shows a schedule's next runs in its zone as it is typed", async () => {
  await flows.cronScheduleNextRuns(session.driver);
});

// Before any budget is crossed: a spent budget over all agents refuses every routed call.
test("the Router page's request log shows calls and refusals live (IPC events)", async () => {
  await flows.routerLogLive(session.driver, ctx.env, router.url);
});

test("Sessions: the list, a timeline filtered to tools, a sub-agent from the tree, and live entries", async () => {
  const shoot = async (name) => writeFileSync(join(ctx.root, `${name}.png`), Buffer.from(await session.driver.takeScreenshot(), "base64"));
  await flows.sessionsTimelineAndTree(session.driver, shoot);
  await flows.timelineUpdatesLive(session.driver, ctx.env);
  // (Export opens the native save dialog: the browser suite checks the exported file.)
});

test("Usage: all time equals the report, stacked by agent, a session opens from its table", async () => {
  const shoot = async (name) => writeFileSync(join(ctx.root, `${name}.png`), Buffer.from(await session.driver.takeScreenshot(), "base64"));
  await flows.usageMatchesTheReport(session.driver, ctx.env, shoot);
});

test("the tray shows today's spend as its title and the menu", async () => {
  const { items } = await desktopBus("tray", "--wait", "20", "--label-regex", "^\\$0\\.00 today$");
  assert.equal(items.length, 1, "exactly one tray item");
  const [item] = items;
  assert.equal(item.properties.XAyatanaLabel, "$0.00 today");
  const entries = item.menu.filter((e) => e.type !== "separator").map((e) => [e.label, e.enabled]);
  assert.deepEqual(entries, [
    ["Open dashboard", true],
    ["Local gateway: not connected", false],
    ["Pause all", false],
    ["Resume", false],
    ["Quit Clawtower", true],
  ]);
});

test("a model call OpenClaw writes to a transcript reaches the tray and the Overview", async () => {
  // What OpenClaw ≤ 2026.7.1 does: append the assistant message, with usage and cost, to the
  // session's JSONL transcript. The app follows the state dir and must show it at once.
  appendCall("e2e-call-1", { input: 1000, output: 50, cacheRead: 4000, cacheWrite: 0, reasoningTokens: 0, totalTokens: 5050,
    cost: { input: 1.0, output: 0.2, cacheRead: 0.034, cacheWrite: 0, total: 1.234 } });
  await desktopBus("tray", "--wait", "10", "--label-regex", "^\\$1\\.23 today$");
  await (await byTestId(session.driver, "nav-overview")).click();
  await waitForText(session.driver, "spend-today", "$1.23", 10000);
  await waitForText(session.driver, "tray-label", "$1.23 today", 10000);
  await byTestId(session.driver, "top-agents");
  const agents = async () => (await matching(session.driver, "[data-testid=top-agents]", ["textContent"]))[0]?.textContent ?? "";
  await session.driver.wait(async () => (await agents()).includes("$1.23"), 10000, "the top agents list never showed main at $1.23");
  assert.match(await agents(), /main/);
  assert.match(await (await byTestId(session.driver, "top-models")).getAttribute("textContent"), /stub\/stub-model/);
  // The README's screenshot: the Overview with live spend and the top spenders.
  const shot = await session.driver.takeScreenshot();
  const out = process.env.CLAWTOWER_SCREENSHOT ?? join(ctx.root, "overview.png");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, Buffer.from(shot, "base64"));
});

test("a budget shows in the tray, and crossing it alerts on the desktop and in the alert history", async () => {
  // Spend today is $1.234 (previous test). A $2/day pause budget, set with the CLI.
  execFileSync(CLI, ["--data-dir", ctx.env.CLAWTOWER_DATA_DIR, "budget", "set", "--limit", "2", "--name", "Daily cap"], { env: ctx.env });
  await desktopBus("tray", "--wait", "15", "--label-regex", "^\\$1\\.23 / \\$2$");
  const expected = [
    ["Open dashboard", true],
    ["Local gateway: not connected", false],
    ["Daily cap: $1.23 / $2 (62%)", false],
    ["1 new alert", true], // the 50% alert, mirrored in the tray until acknowledged
    ["Pause all", false], // the gateway is not reachable (port 9)
    ["Resume", false],
    ["Quit Clawtower", true],
  ];
  const { driver } = session;
  let menu = null;
  await driver.wait(async () => JSON.stringify(menu = await trayMenu()) === JSON.stringify(expected), 10000)
    .catch((err) => {
      if (err.name !== "TimeoutError") throw err;
      assert.deepEqual(menu, expected); // shows the difference
      throw err;
    });
  const notes = async (summary) => (await desktopBus("notifications")).filter((n) => n.summary === summary);
  const waitNote = async (summary) => {
    let seen = [];
    const found = await driver.wait(async () => {
      const all = await desktopBus("notifications");
      seen = all.map((n) => n.summary);
      const matching = all.filter((n) => n.summary === summary);
      return matching.length > 0 && matching;
    }, 15000, () => `no notification "${summary}"; got ${JSON.stringify(seen)}`);
    return found;
  };
  const [half] = await waitNote("Budget “Daily cap” at 50%");
  // All of today's spend came within the hour: the projection says when the limit is reached,
  // unless that is past midnight (then it may name the day, or be left out).
  assert.match(half.body, /^\$1\.23 of \$2 today(?: · at this rate: \$2 at (?:\w{3} )?\d\d:\d\d)?$/);
  // Cross the limit: the pause cannot reach the gateway, and the alert says exactly that.
  appendCall("e2e-call-2", { input: 10, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 11, cost: { total: 1.0 } });
  await desktopBus("tray", "--wait", "15", "--label-regex", "^\\$2\\.23 / \\$2$");
  const [failed] = await waitNote("Could not pause: budget “Daily cap” reached");
  assert.match(failed.body, /^\$2\.23 of \$2 today\. No gateway answers at ws:\/\/127\.0\.0\.1:9\//);
  assert.equal((await notes("Budget “Daily cap” at 50%")).length, 1, "each threshold alerts once");
  // The same alerts are kept for the app, delivered.
  const history = JSON.parse(execFileSync(CLI, ["--data-dir", ctx.env.CLAWTOWER_DATA_DIR, "alerts", "list", "--json"], { env: ctx.env }));
  assert.deepEqual(history.alerts.map((a) => [a.kind, a.title, a.delivered]), [
    ["pauseFailed", "Could not pause: budget “Daily cap” reached", true],
    ["threshold", "Budget “Daily cap” at 50%", true],
  ]);
});

test("the Budgets page shows the budget live, and a budget made in its dialog reaches the tray", async () => {
  const { driver } = session;
  await (await byTestId(driver, "nav-budgets")).click();
  await byTestId(driver, "page-budgets");
  await byTestId(driver, "budget-row");
  const names = await matching(driver, "[data-testid=budget-row-name]", ["textContent"]);
  assert.deepEqual(names.map((n) => n.textContent.trim()), ["Daily cap"]);
  await waitForText(driver, "budget-label", "$2.23 / $2");
  assert.deepEqual(await matching(driver, "[data-testid=budget-row]", ["data-level"]), [{ "data-level": "exceeded" }]);
  // Two unacknowledged alerts: a badge on the sidebar; acknowledging them clears it.
  await waitForText(driver, "nav-badge-budgets", "2 (2 unacknowledged alerts)");
  await byTestId(driver, "alert-list");
  await driver.wait(async () => (await matching(driver, "[data-testid=alert-list]", ["textContent"]))
    .some((list) => /Could not pause: budget “Daily cap” reached/.test(list.textContent)), 10000,
    "the alert history lacks the pause failure");
  await (await byTestId(driver, "acknowledge-all")).click();
  await driver.wait(async () => (await matching(driver, "[data-testid=nav-badge-budgets]")).length === 0, 10000,
    "the alert badge stayed after acknowledging");
  await driver.wait(async () => {
    const menu = await trayMenu();
    return menu !== null && !menu.some(([label]) => /new alert/.test(label ?? ""));
  }, 10000, "the tray still lists new alerts after acknowledging");
  // A weekly budget through the dialog.
  await flows.weeklyBudgetFromTheDialog(driver);
  let menu = null;
  await driver.wait(async () => (menu = await trayMenu())?.some(([label]) => label === "Weekly: $2.23 / $50 (4%)"), 15000,
    () => `the tray menu never listed the weekly budget: ${JSON.stringify(menu?.map(([label]) => label) ?? "no tray item")}`);
  // The title follows the budget closest to its limit.
  const { items } = await desktopBus("tray", "--wait", "5");
  assert.equal(items.find((i) => !i.error)?.properties.XAyatanaLabel, "$2.23 / $2");
  // For a look at the page (kept with the run's files; `make screenshot` refreshes docs/).
  const shot = await driver.takeScreenshot();
  const out = process.env.CLAWTOWER_SCREENSHOT ? join(dirname(process.env.CLAWTOWER_SCREENSHOT), "budgets.png") : join(ctx.root, "budgets.png");
  writeFileSync(out, Buffer.from(shot, "base64"));
});

test("the theme setting applies at once and survives a reload", async () => {
  await flows.themeSurvivesReload(session.driver);
});

test("launch at login writes and removes a real autostart entry", async () => {
  const { driver } = session;
  await (await byTestId(driver, "nav-settings")).click();
  const toggle = await byTestId(driver, "launch-at-login");
  assert.equal(await toggle.isSelected(), false, "launch at login must be off by default");
  const autostartDir = join(ctx.env.XDG_CONFIG_HOME, "autostart");
  const entries = () => (existsSync(autostartDir) ? readdirSync(autostartDir).filter((f) => f.endsWith(".desktop")) : []);
  await toggle.click();
  await driver.wait(async () => entries().length === 1, 10000, "no autostart entry written");
  const entry = readFileSync(join(autostartDir, entries()[0]), "utf8");
  assert.match(entry, /--hidden/);
  assert.ok(entry.includes(APP), `autostart entry does not start ${APP}:\n${entry}`);
  await driver.wait(async () => (await toggle.isSelected()) === true, 10000);
  await toggle.click();
  await driver.wait(async () => entries().length === 0, 10000, "autostart entry not removed");
});

test("a second launch hands over to the running app and exits", async () => {
  const second = spawn(APP, [], { env: ctx.env, stdio: "ignore" });
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("second instance still running after 20 s")), 20000);
    second.on("exit", (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 0);
  const { items } = await desktopBus("tray", "--wait", "5");
  assert.equal(items.length, 1, "the second launch must not add a tray icon");
  assert.equal(await session.driver.getTitle(), "Clawtower");
});

test("closing the window hides it to the tray, says so once, and the tray menu brings it back", async () => {
  const shown = (viewable, timeout = "10") =>
    x11("state", "--name", "Clawtower", "--wait-viewable", viewable ? "yes" : "no", "--timeout", timeout);
  const notices = async () =>
    (await desktopBus("notifications")).filter((n) => n.summary === "Clawtower is still running");
  // What a title-bar close button does. Xvfb has no window manager, and on a loaded machine GTK
  // was seen to drop a WM_DELETE_WINDOW sent this way (the app never got CloseRequested, with or
  // without a second launch before it); a close not acted on within 4 s is sent again.
  const close = async () => {
    for (let attempt = 1; ; attempt++) {
      await x11("close", "--name", "Clawtower");
      try {
        return await shown(false, "4");
      } catch (err) {
        if (attempt === 4) throw err;
      }
    }
  };
  for (const round of [1, 2]) {
    await close();
    assert.equal((await desktopBus("tray")).items.length, 1, "the app must keep running in the tray");
    assert.equal((await notices()).length, 1, `round ${round}: the tray notice is shown exactly once`);
    await desktopBus("tray-click", "--label", "Open dashboard", "--wait", "10");
    await shown(true);
  }
  const [notice] = await notices();
  assert.match(notice.body, /tray/);
});

test("Quit in the tray menu ends the app, and the next launch restores the window size", async () => {
  await x11("resize", "--name", "Clawtower", "--width", "912", "--height", "604");
  const size = async () => {
    const { windows } = await x11("state", "--name", "Clawtower", "--wait-viewable", "yes");
    return [windows[0].width, windows[0].height];
  };
  let seen = [];
  await session.driver.wait(async () => (seen = await size()).join("x") === "912x604", 15000,
    () => `window never became 912x604 (is ${seen.join("x")})`);
  await desktopBus("tray-click", "--label", "Quit Clawtower", "--wait", "10");
  await session.driver.wait(async () => (await desktopBus("tray")).items.length === 0, 15000,
    "the tray icon is still there 15 s after Quit");
  await session.stop();
  session = await launch(ctx.env);
  await byTestId(session.driver, "page-overview");
  assert.deepEqual(await size(), [912, 604]);
});

test("an unusable data dir shows a clear error, not a crash", async () => {
  // One app per session bus: a running instance would take this launch over (single instance).
  await session.stop();
  session = undefined;
  const broken = isolatedEnv();
  const file = join(broken.root, "not-a-dir");
  writeFileSync(file, "");
  const other = await launch({ ...broken.env, CLAWTOWER_DATA_DIR: file });
  try {
    const panel = await byTestId(other.driver, "error-panel");
    const text = await panel.getText();
    assert.match(text, /IO|STORE_UNAVAILABLE/);
    assert.match(text, /not-a-dir/);
  } finally {
    await other.stop();
  }
});

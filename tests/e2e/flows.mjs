// User flows both end-to-end suites run — the desktop app (app.test.mjs) and a browser on
// `clawtower serve` (browser.test.mjs) — so every page that works in the app is checked to work
// in the browser the same way. The desktop suite adds its tray and notification checks around them.
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { byTestId, matching } from "./harness.mjs";

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

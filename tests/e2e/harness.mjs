// Harness for end-to-end tests on the real Clawtower binary: starts tauri-driver (which drives
// WebKitWebDriver, which launches the app) with an isolated HOME, data dir and OpenClaw state dir,
// and talks to the fake desktop (tests/desktop/desktop_bus.py) for the tray and notifications.
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, cpSync, openSync, closeSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { promisify } from "node:util";
import { Builder, Capabilities, By, until } from "selenium-webdriver";

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** Absolute path of the app binary under test (desktop suite only). */
export const APP = process.env.CLAWTOWER_APP;
/** The `clawtower` CLI, for setting up state the way a user would (and `clawtower serve`). */
export const CLI = required("CLAWTOWER_CLI");

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through \`make e2e\` or \`make browser-e2e\``);
  return value;
}

/** A free TCP port on loopback. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => { socket.end(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * A fresh, isolated environment: temporary HOME (so autostart entries and window state land in
 * it), Clawtower data dir, a copy of the OpenClaw fixture state dir, and a fixed time zone (UTC:
 * "today" and the times in alerts do not depend on the machine's zone).
 */
export function isolatedEnv(overrides = {}) {
  const root = mkdtempSync(join(tmpdir(), "clawtower-e2e-"));
  const home = join(root, "home");
  mkdirSync(join(home, ".config"), { recursive: true });
  const openclaw = join(root, "openclaw");
  cpSync(join(here, "fixtures", "openclaw-state"), openclaw, { recursive: true });
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    CLAWTOWER_DATA_DIR: join(root, "data"),
    OPENCLAW_STATE_DIR: openclaw,
    OPENCLAW_GATEWAY_PORT: "9", // nothing listens there: the doctor must say so
    TZ: "UTC",
    ...overrides,
  };
  for (const name of ["OPENCLAW_HOME", "OPENCLAW_PROFILE", "OPENCLAW_CONFIG_PATH"]) delete env[name];
  return { root, home, env };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts tauri-driver and opens a WebDriver session on the app; returns the driver, a stop(), and
 * the path of the log that tauri-driver, WebKitWebDriver and the app write to.
 *
 * tauri-driver runs in its own process group with its output in a file: the app and
 * WebKitWebDriver are its descendants, and had they inherited the test runner's pipes, one that
 * outlived its session would keep the runner waiting for end-of-file forever.
 */
export async function launch(env) {
  const tauriDriver = required("TAURI_DRIVER");
  const app = required("CLAWTOWER_APP");
  const port = await freePort();
  const nativePort = await freePort();
  const log = join(mkdtempSync(join(tmpdir(), "clawtower-driver-")), "driver.log");
  const out = openSync(log, "a");
  const driverProcess = spawn(
    tauriDriver,
    ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"],
    { env, stdio: ["ignore", out, out], detached: true },
  );
  closeSync(out);
  const killGroup = (signal) => {
    try { process.kill(-driverProcess.pid, signal); } catch { /* already gone */ }
  };
  try {
    await waitForPort(port, 15000);
    const caps = new Capabilities();
    caps.setBrowserName("wry");
    caps.set("tauri:options", { application: app });
    // Bounded: if the app exits at start (e.g. handed over to a running instance), WebKitWebDriver
    // would wait for its window forever.
    const driver = await Promise.race([
      new Builder().usingServer(`http://127.0.0.1:${port}/`).withCapabilities(caps).build(),
      delay(30000).then(() => { throw new Error("no WebDriver session within 30 s: did the app start?"); }),
    ]);
    const stop = async () => {
      // Every step is bounded: a session whose app already quit may never answer.
      await Promise.race([driver.quit().catch(() => {}), delay(5000)]);
      killGroup("SIGTERM");
      await delay(500);
      killGroup("SIGKILL");
    };
    return { driver, stop, log };
  } catch (err) {
    killGroup("SIGKILL");
    throw new Error(`${err.message}\n--- driver log ---\n${readFileSync(log, "utf8").slice(-4000)}`);
  }
}

/** Waits for the element with this data-testid to be visible and returns it. */
export async function byTestId(driver, id, timeoutMs = 15000) {
  const element = await driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), timeoutMs, `no [data-testid=${id}]`);
  await driver.wait(until.elementIsVisible(element), timeoutMs, `[data-testid=${id}] not visible`);
  return element;
}

/**
 * What the page holds for this CSS selector, read in one script so React re-rendering between a
 * find and a read can never leave a stale element: the number of matches and, for each, the named
 * attributes (`textContent` included on request).
 */
export async function matching(driver, css, attributes = []) {
  return driver.executeScript(
    `return Array.from(document.querySelectorAll(arguments[0]), (e) =>
       Object.fromEntries(arguments[1].map((a) => [a, a === "textContent" ? e.textContent : e.getAttribute(a)])))`,
    css, attributes);
}

/** The text of the first element `css` names (null when there is none), read in one script. */
export async function textOf(driver, css) {
  return driver.executeScript(`return document.querySelector(arguments[0])?.textContent ?? null`, css);
}

/** Clicks what `css` names, finding it again when the page re-rendered it between find and click. */
export async function click(driver, css, tries = 5) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await driver.findElement({ css })).click();
    } catch (err) {
      if (err.name !== "StaleElementReferenceError" || attempt >= tries) throw err;
    }
  }
}

/** Waits until the element's text equals `expected` (returns the last text seen on timeout). */
export async function waitForText(driver, id, expected, timeoutMs = 15000) {
  const element = await byTestId(driver, id, timeoutMs);
  const text = () => driver.executeScript(`return document.querySelector('[data-testid="${id}"]')?.textContent ?? null`);
  await driver.wait(async () => (await text())?.trim() === expected, timeoutMs,
    `[data-testid=${id}] never showed ${JSON.stringify(expected)}`).catch(async (err) => {
    const visible = await element.getText().catch((e) => `<${e.name}>`);
    throw new Error(`${err.message} (textContent: ${JSON.stringify(await text())}, visible text: ${JSON.stringify(visible)})`);
  });
}

/** Runs tests/desktop/desktop_bus.py with the fake desktop's state dir; returns parsed JSON stdout. */
export async function desktopBus(...args) {
  const py = required("CLAWTOWER_DESKTOP_PY");
  const tool = required("CLAWTOWER_DESKTOP_TOOL");
  const { stdout } = await run(py, [tool, ...args], { env: process.env, timeout: 60000 });
  return JSON.parse(stdout);
}

/** Runs tests/desktop/x11_window.py (acts like a window manager); returns parsed JSON stdout. */
export async function x11(...args) {
  const py = required("CLAWTOWER_DESKTOP_PY");
  const tool = join(here, "..", "desktop", "x11_window.py");
  const { stdout } = await run(py, [tool, ...args], { env: process.env, timeout: 60000 });
  return JSON.parse(stdout);
}

/** Writes a file, creating its directory. */
export function writeFile(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export { By, until };

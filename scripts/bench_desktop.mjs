// make bench, desktop part: how long one command takes through the real app window (Tauri IPC
// and the app's main thread) while the runtime imports a whole OpenClaw home, beside the same
// command once the import is over, in the same run. Figures only, never pass/fail.
//
//   CLAWTOWER_APP=… CLAWTOWER_CLI=… TAURI_DRIVER=… \
//     tests/desktop/run-desktop-session.sh node scripts/bench_desktop.mjs STATE_DIR
//
// The import's progress is read with `clawtower doctor --json` on the same data dir (a second
// process, like a user's terminal), never through the window being timed. Then: the time to
// the first paint of the largest session's timeline (the app's performance marks), beside the
// smallest session's.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CLI, isolatedEnv, launch } from "../tests/e2e/harness.mjs";

const run = promisify(execFile);
const state = process.argv[2];
if (!state) throw new Error("usage: bench_desktop.mjs STATE_DIR");

const { env } = isolatedEnv({ OPENCLAW_STATE_DIR: state });
const storedCalls = async () => {
  const { stdout } = await run(CLI, ["doctor", "--json", "--data-dir", env.CLAWTOWER_DATA_DIR], {
    env,
  }).catch((e) => e); // doctor exits 2 when something is missing (no gateway here)
  const checks = JSON.parse(stdout).checks;
  const ledger = checks.find((c) => c.id === "ledger");
  return Number(ledger.detail.split(" ")[0].replace(/[^0-9]/g, "")) || 0;
};

/**
 * spend_summary back to back from the page for `ms`: the mean round trip of each run of 10 calls,
 * in ms (WebKit's clock has a 1 ms resolution; ten calls make the figure finer than that).
 */
const sample = (driver, ms) =>
  driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const until = performance.now() + ${ms};
    const times = [];
    (async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) await window.__TAURI_INTERNALS__.invoke("spend_summary");
        times.push((performance.now() - t0) / 10);
      }
      done(times);
    })().catch((e) => done({ error: String(e) }));`);

const figures = (label, times) => {
  if (!Array.isArray(times)) throw new Error(`${label}: ${JSON.stringify(times)}`);
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  console.log(
    `  ${label}: ${times.length * 10} calls, per call (mean of each 10) p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, ` +
      `max ${times[times.length - 1].toFixed(0)} ms`,
  );
  return at(0.5);
};

const cli = async (...args) =>
  JSON.parse((await run(CLI, [...args, "--json", "--data-dir", env.CLAWTOWER_DATA_DIR], { env, maxBuffer: 1 << 30 })).stdout);

/**
 * Opens `key`'s timeline `times` times from the Overview (the address, as a link does) and
 * returns each time from opening to the first frame showing its entries, in ms: the app's own
 * `session-timeline` performance measure (the fetch through IPC, the render and the paint).
 * Each open waits for the whole timeline (read after the first entries) before the next.
 */
const firstPaints = async (driver, key, times) => {
  const durations = [];
  for (let i = 0; i < times; i++) {
    const got = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const key = arguments[0];
      const count = () => performance.getEntriesByName("session-timeline", "measure").length;
      location.hash = "#/";
      setTimeout(() => {
        const before = count();
        location.hash = "#/sessions?key=" + encodeURIComponent(key);
        const until = performance.now() + 60000;
        // The paint, then the rest of the timeline (read after it) before the next open.
        let painted = null;
        const poll = () => {
          const all = performance.getEntriesByName("session-timeline", "measure");
          if (painted === null && all.length > before) painted = all[all.length - 1].duration;
          const count = document.querySelector('[data-testid="timeline-count"]')?.textContent ?? "";
          if (painted !== null && count && !count.startsWith("First")) return done(painted);
          if (performance.now() > until) return done({ error: "no whole timeline within 60 s" });
          setTimeout(poll, 5);
        };
        poll();
      }, 300);`, key);
    if (typeof got !== "number") throw new Error(`${key}: ${JSON.stringify(got)}`);
    durations.push(got);
  }
  return durations.sort((a, b) => a - b);
};

const { driver, stop } = await launch(env);
try {
  await driver.manage().setTimeouts({ script: 120000 });
  const t0 = Date.now();
  // 2 s slices; a slice counts as "during" when the ledger grew while it ran. Sampling stops once
  // three progress reads in a row agree (the import is over).
  const during = [];
  let before = await storedCalls();
  let importEnd = 0;
  const reads = [before];
  for (;;) {
    const times = await sample(driver, 2000);
    const after = await storedCalls();
    if (after > before) {
      during.push(...times);
      importEnd = (Date.now() - t0) / 1000;
    }
    reads.push(after);
    before = after;
    const last = reads.slice(-3);
    const settled = last.length === 3 && last[0] === last[2];
    if (settled && (last[0] > 0 || Date.now() - t0 > 60000)) break;
  }
  const calls = reads[reads.length - 1];
  console.log(`  import of ${state} in the app: ${calls.toLocaleString("en")} calls stored, ~${importEnd.toFixed(0)} s`);
  const idle = await sample(driver, 5000);
  if (during.length === 0) {
    console.log("  the import was over before the first sample: nothing measured during it");
  } else {
    const busy = figures("spend_summary in the app window during the import", during);
    const after = figures("spend_summary in the app window after it (baseline)", idle);
    console.log(`  during / after (p50): ${(busy / after).toFixed(2)}`);
  }
  // The largest session's timeline beside the smallest one's, opened in the same window.
  const largest = (await cli("sessions", "list", "--sort", "tokens", "--limit", "1")).rows[0].key;
  const total = (await cli("sessions", "list", "--limit", "1")).total;
  const smallest = (await cli("sessions", "list", "--sort", "tokens", "--limit", "1", "--offset", String(total - 1))).rows[0].key;
  const entries = async (key) => (await cli("sessions", "show", key, "--openclaw-home", state)).entries.length;
  const [big, small] = [await entries(largest), await entries(smallest)];
  const bigPaints = await firstPaints(driver, largest, 7);
  const smallPaints = await firstPaints(driver, smallest, 7);
  const median = (xs) => xs[Math.floor(xs.length / 2)];
  console.log(
    `  first paint of the largest session's timeline (${big.toLocaleString("en")} entries), 7 opens: ` +
      `median ${median(bigPaints).toFixed(0)} ms, min ${bigPaints[0].toFixed(0)}, max ${bigPaints[bigPaints.length - 1].toFixed(0)}`,
  );
  console.log(
    `  baseline, the smallest session's (${small.toLocaleString("en")} entries): median ${median(smallPaints).toFixed(0)} ms; ` +
      `largest / smallest: ${(median(bigPaints) / median(smallPaints)).toFixed(1)}`,
  );
} finally {
  await stop();
}

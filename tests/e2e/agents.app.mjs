// End-to-end on the real app window against a real OpenClaw gateway: an agent made in the Agents
// page's dialog, archived behind its confirmation, and restored from the Archived list; a session
// pinned, archived in OpenClaw and brought back from its own view. Started by
// tests/openclaw/test_app_lifecycle.py (which starts the gateway and checks OpenClaw's side after)
// inside tests/desktop/run-desktop-session.sh; the environment names the gateway's state dir
// (OPENCLAW_STATE_DIR), a fresh data dir (CLAWTOWER_DATA_DIR) and HOME, CLAWTOWER_E2E_AGENT
// the agent's name and CLAWTOWER_E2E_SESSION a session the gateway has run. Prints
// `{"archiveId": …}` for the caller.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { byTestId, click, launch, matching } from "./harness.mjs";

const NAME = process.env.CLAWTOWER_E2E_AGENT ?? "Scout";
const SESSION = process.env.CLAWTOWER_E2E_SESSION ?? "agent:main:e2e-flags";
const ID = NAME.toLowerCase();
let session;

before(async () => {
  session = await launch(process.env);
});

after(async () => {
  await session?.stop();
});

/** The agent rows' ids. */
async function agentIds(driver) {
  return (await matching(driver, "[data-testid=agent-row]", ["data-agent"])).map((r) => r["data-agent"]);
}

test("an agent made in the app is archived and restored through the gateway", async () => {
  const { driver } = session;
  await (await byTestId(driver, "nav-agents")).click();
  await driver.wait(async () => (await agentIds(driver)).includes("main"), 30000,
    "the gateway's agents never listed (is the app connected to it?)");

  await (await byTestId(driver, "add-agent")).click();
  await (await byTestId(driver, "agent-name")).sendKeys(NAME);
  await (await byTestId(driver, "agent-model")).sendKeys("stub/stub-model");
  await (await byTestId(driver, "agent-save")).click();
  await driver.wait(async () => (await agentIds(driver)).includes(ID), 60000, `${ID} never appeared in the list`);

  const archiveButton = async () => {
    const rows = await driver.findElements({ css: `[data-testid=agent-row][data-agent="${ID}"] [data-testid=archive-agent]` });
    return rows[0];
  };
  await (await archiveButton()).click();
  await byTestId(driver, "archive-agent-dialog");
  await (await byTestId(driver, "confirm")).click();
  await driver.wait(async () => !(await agentIds(driver)).includes(ID), 120000, `${ID} stayed in the list after archiving`);
  let archives = [];
  await driver.wait(async () => (archives = await matching(driver, "[data-testid=archive-row]", ["data-archive", "textContent"]))
    .some((a) => a.textContent.includes(NAME)), 30000, "the archive never showed in the Archived list");
  const archiveId = archives.find((a) => a.textContent.includes(NAME))["data-archive"];

  const restore = await driver.findElement({ css: `[data-testid=archive-row][data-archive="${archiveId}"] [data-testid=restore-agent]` });
  await restore.click();
  await driver.wait(async () => (await matching(driver, "[data-testid=restored]", ["textContent"]))[0]?.textContent
    ?.includes(`Restored as ${NAME}`), 120000, "the restore never said it was done");
  await driver.wait(async () => (await agentIds(driver)).includes(ID), 30000, `${ID} did not come back to the list`);
  // The audit log (newest first) says what the app did, each step done.
  let audit = [];
  await driver.wait(async () => (audit = (await matching(driver, "[data-testid=audit-row]", ["textContent"]))
    .map((r) => r.textContent)).length >= 3, 30000, "the audit log never showed the three actions");
  for (const [i, word] of ["Restored", "Archived", "Created"].entries())
    assert.ok(audit[i].toLowerCase().startsWith(`${word} ${ID}`.toLowerCase()) && audit[i].includes("Done") && audit[i].includes("by the app"),
      `audit row ${i} is not "${word} ${ID} … Done … by the app": ${audit[i]}`);
  console.log(JSON.stringify({ archiveId }));
});

test("a session is pinned, archived in OpenClaw and brought back from its view", async () => {
  const { driver } = session;
  await (await byTestId(driver, "nav-sessions")).click();
  const row = `[data-testid=session-row][data-key='${SESSION}']`;
  await driver.wait(async () => (await matching(driver, row)).length === 1, 60000, `${SESSION} is not listed`);
  await click(driver, row);
  /** The toggle's text once it reads `want` (it is OpenClaw's state, read back after each click). */
  const toggled = (id, want) =>
    driver.wait(async () => (await matching(driver, `[data-testid=${id}]`, ["textContent"]))[0]?.textContent?.trim() === want,
      60000, `${id} never read "${want}"`);
  await toggled("session-pin", "Pin");
  await click(driver, "[data-testid=session-pin]");
  await toggled("session-pin", "Unpin");
  // Archiving unpins it (OpenClaw's rule) and offers no Pin until it is back.
  await click(driver, "[data-testid=session-archive]");
  await toggled("session-archive", "Unarchive");
  const [flags] = await matching(driver, "[data-testid=session-flags]", ["textContent"]);
  assert.equal(flags?.textContent, "Archived in OpenClaw");
  assert.equal((await matching(driver, "[data-testid=session-pin]")).length, 0, "an archived session offers Pin");
  await click(driver, "[data-testid=session-archive]");
  await toggled("session-archive", "Archive");
  await toggled("session-pin", "Pin");
  await click(driver, "[data-testid=session-pin]");
  await toggled("session-pin", "Unpin");
});

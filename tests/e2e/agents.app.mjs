// End-to-end on the real app window against a real OpenClaw gateway: an agent made in the Agents
// page's dialog, archived behind its confirmation, and restored from the Archived list. Started by
// tests/openclaw/test_app_lifecycle.py (which starts the gateway and checks OpenClaw's side after)
// inside tests/desktop/run-desktop-session.sh; the environment names the gateway's state dir
// (OPENCLAW_STATE_DIR), a fresh data dir (CLAWTOWER_DATA_DIR) and HOME, and CLAWTOWER_E2E_AGENT
// the agent's name. Prints `{"archiveId": …}` on its last line for the caller.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { byTestId, launch, matching } from "./harness.mjs";

const NAME = process.env.CLAWTOWER_E2E_AGENT ?? "Scout";
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

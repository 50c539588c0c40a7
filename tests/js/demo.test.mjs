// The demo page (www/) in a real Chromium against the sandbox: create a key and see its
// secret exactly once, validation errors next to their fields, unsupported operations
// disabled with a reason, revoke, errors with status/request id/retry time, phone layout.
// Any console error or page error fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startSandbox, root } from "./support/sandbox.mjs";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const shots = path.join(root, "target");

let sandbox;
let browser;
const problems = [];
/** Console messages allowed while a step provokes them on purpose (e.g. a 429). */
let expected = [];

/** Also shortens the page's waits below the tests' own timeouts, so a hang names its step. */
function watch(page) {
  page.setDefaultTimeout(10_000);
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (expected.some((re) => re.test(text))) return;
    problems.push(`console error: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
}

function assertClean() {
  assert.deepEqual(problems, [], "no console or page errors");
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  sandbox = await startSandbox();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const rows = (page) => page.locator("#keys-body tr");
const row = (page, name) => page.locator("#keys-body tr", { has: page.getByRole("button", { name, exact: true }) });

/** Waits until the table shows `count` keys of the provider called `label`. */
async function waitLoaded(page, label, count) {
  await page.waitForFunction(
    ([n, c]) => document.title.startsWith(n) && document.querySelector("#table-count")?.textContent === `Showing ${c} of ${c}`,
    [label, count],
  );
}

async function openProvider(page, name, label, count) {
  await page.getByLabel(label, { exact: true }).check();
  await waitLoaded(page, label, count);
  assert.equal(await rows(page).count(), count);
}

/** A new desktop page on a reset sandbox, showing OpenRouter's four seeded keys. */
async function freshOpenRouterPage() {
  await sandbox.reset();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page);
  await page.goto(`${sandbox.url}/`);
  await openProvider(page, "openrouter", "OpenRouter", 4);
  return { context, page };
}

test("the demo page manages keys with the secret shown once", { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: sandbox.url });
  const page = await context.newPage();
  watch(page);
  await page.goto(`${sandbox.url}/`);

  // Defaults come from the sandbox; the management key is in the field but nowhere else.
  const management = sandbox.info.providers.openrouter.managementKey;
  await openProvider(page, "openrouter", "OpenRouter", 4);
  assert.equal(await page.locator("#management-key").inputValue(), management);
  assert.equal(await page.locator("#management-key").getAttribute("type"), "password");
  assert.equal(await page.locator("#base-url").inputValue(), sandbox.info.providers.openrouter.baseUrl);

  // An unsupported operation: disabled, with the reason as visible text and tooltip.
  await row(page, "Production").getByRole("button", { name: "Production" }).click();
  const details = page.locator("#key-dialog");
  await details.waitFor({ state: "visible" });
  await details.locator("#key-raw").filter({ hasText: '"hash"' }).waitFor();
  const rotate = details.locator('button[data-op="rotate"]');
  assert.equal(await rotate.getAttribute("aria-disabled"), "true");
  assert.match(await rotate.getAttribute("title"), /OpenRouter cannot rotate/);
  const reasonId = await rotate.getAttribute("aria-describedby");
  const reason = page.locator(`#${reasonId}`);
  assert.ok(await reason.isVisible(), "the reason is visible text");
  assert.match(await reason.textContent(), /OpenRouter cannot rotate/);
  await page.keyboard.press("Escape");
  await details.waitFor({ state: "hidden" });

  // Client-side validation: the library's ValidationError.fields next to the field.
  const before = (await sandbox.keys("openrouter")).count;
  await page.getByRole("button", { name: "Create key" }).click();
  const form = page.locator("#form-dialog");
  await form.waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-name", "focus starts in the form");
  await form.getByRole("button", { name: "Create key" }).click();
  const nameError = form.locator("#f-name-error");
  await nameError.waitFor({ state: "visible" });
  assert.match(await nameError.textContent(), /Name is required/);
  assert.equal(await form.getByLabel(/^Name/).getAttribute("aria-invalid"), "true");
  assert.equal((await sandbox.keys("openrouter")).count, before, "nothing was sent");

  // A reset period with no limit would do nothing: the form says so and sends nothing.
  await form.getByLabel(/^Name/).fill("Demo key");
  await form.getByLabel("Limit resets").selectOption("monthly");
  await form.getByRole("button", { name: "Create key" }).click();
  await form.locator("#f-budget-period-error").filter({ hasText: "needs a limit" }).waitFor();
  assert.equal((await sandbox.keys("openrouter")).count, before, "nothing was sent");

  // Create: the secret is shown once, with a copy button and a warning.
  await form.getByLabel("Spending limit (USD)").fill("10");
  await form.getByLabel("Limit resets").selectOption("monthly");
  await form.getByRole("button", { name: "Create key" }).click();
  const secretDialog = page.locator("#secret-dialog");
  await secretDialog.waitFor({ state: "visible" });
  const secret = (await secretDialog.locator("#secret-value").textContent()).trim();
  assert.match(secret, /^sk-or-v1-[0-9a-f]{64}$/);
  assert.match(await secretDialog.locator("#secret-warning").textContent(), /shown only this once/);
  await secretDialog.getByRole("button", { name: "Copy" }).click();
  await secretDialog.locator("#secret-copied").filter({ hasText: "Copied" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  // Escape alone does not throw the secret away, pressed again and again either (Chromium
  // lets a page refuse only the first of several Escapes in a row).
  await page.keyboard.press("Escape");
  await secretDialog.locator("#secret-copied").filter({ hasText: "shown only once" }).waitFor();
  assert.ok(await secretDialog.isVisible(), "Escape left the secret dialog open");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Escape");
  await page.waitForTimeout(100);
  assert.ok(await secretDialog.isVisible(), "Escapes in a row left the secret dialog open");
  assert.equal((await secretDialog.locator("#secret-value").textContent()).trim(), secret, "with its secret");
  await secretDialog.getByRole("button", { name: /close/i }).click();
  await secretDialog.waitFor({ state: "hidden" });
  await row(page, "Demo key").waitFor();
  assert.ok(!(await page.content()).includes(secret), "the secret left the page when the dialog closed");

  // Reload: the secret is nowhere, and nothing was persisted.
  await page.reload();
  await openProvider(page, "openrouter", "OpenRouter", 5);
  assert.ok(!(await page.content()).includes(secret), "no secret after reload");
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(secret));
  const stored = await page.evaluate(() =>
    JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, location.href]));
  assert.ok(!stored.includes(management), "the management key is not stored or in the URL");
  assert.ok(!stored.includes(secret));

  // Revoke (OpenRouter disables): the status changes in the table.
  const demo = row(page, "Demo key");
  assert.equal(await demo.locator(".badge").textContent(), "active");
  await demo.getByRole("button", { name: "Demo key" }).click();
  await details.waitFor({ state: "visible" });
  await details.locator('button[data-op="revoke"]').click();
  await demo.locator(".badge", { hasText: "disabled" }).waitFor();
  const disabled = (await sandbox.keys("openrouter")).keys.find((k) => k.name === "Demo key");
  assert.equal(disabled.disabled, true);
  assert.equal(await details.locator('button[data-op="enable"]').getAttribute("aria-disabled"), null);
  await page.keyboard.press("Escape");
  await details.waitFor({ state: "hidden" });
  assertClean();

  // A provider whose keys have no creation time (GPT Core) shows no Created column.
  const created = page.locator('#keys-table th[data-sort="created"]');
  const createdCell = rows(page).first().locator('td[data-label="Created"]');
  assert.ok(await created.isVisible() && await createdCell.isVisible(), "OpenRouter's keys have a creation time");
  await openProvider(page, "gptcore", "GPT Core", (await sandbox.keys("gptcore")).count);
  assert.equal(await created.isVisible(), false);
  assert.equal(await createdCell.count(), 1, "the cell is there, hidden");
  assert.equal(await createdCell.isVisible(), false);
  assert.equal(await page.locator('#keys-table th[aria-sort]').getAttribute("data-sort"), "name", "sorted by name instead");
  const names = await rows(page).locator(".key-open").allTextContents();
  const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  assert.deepEqual(names, [...names].sort(byName.compare), `${names}`);

  // A chart where the provider reports usage over time (Quantum AI: days).
  await openProvider(page, "quantum", "Quantum AI", 4);
  await page.locator("#usage-chart svg.day-chart rect.col").first().waitFor();
  assert.equal(await page.locator("#usage-chart svg.day-chart rect.col").count(), 7);
  assert.ok(await page.locator("#budget-chart .budget-row").count() >= 1);

  // Errors: message, HTTP status, request id, and when a rate limit allows a retry.
  // The browser logs each refused response ("Failed to load resource"): expected here only.
  expected = [/Failed to load resource: the server responded with a status of 429/];
  await sandbox.fault({ provider: "quantum", times: 3, fault: { status: 429, retryAfter: "1" } });
  await page.getByRole("button", { name: "Reload" }).click();
  const box = page.locator("#page-error .error-box");
  await box.waitFor({ timeout: 15_000 });
  const text = await box.textContent();
  assert.match(text, /Rate limited/);
  assert.match(text, /HTTP status\s*429/);
  assert.match(text, /Request ID\s*req_|Request ID\s*[0-9a-f-]{8,}/i);
  assert.match(text, /retry in \d+ s|retry now/);
  expected = [];
  await box.getByRole("button", { name: "Retry" }).waitFor();
  await page.waitForFunction(() => document.querySelector("#page-error .retry-at")?.textContent.includes("retry now"));
  await box.getByRole("button", { name: "Retry" }).click();
  await page.waitForFunction(() => document.querySelector("#status-text")?.textContent.startsWith("Loaded 4 Quantum AI keys"));
  assert.equal(await box.count(), 0, "the error box went away");

  // Desktop screenshot of the working dashboard.
  await openProvider(page, "openrouter", "OpenRouter", 5);
  await page.screenshot({ path: path.join(shots, "demo.png"), fullPage: true });
  assertClean();
  await context.close();
});

test("the demo page forgets the keys of a connection it left, and keeps the scopes it does not list", { timeout: 30_000 }, async () => {
  const { context, page } = await freshOpenRouterPage();

  // A wrong key: its 401 is shown, the other key's list is gone, what OpenRouter offers still reads as offered.
  expected = [/Failed to load resource: the server responded with a status of 401/];
  await page.locator("#management-key").fill("sk-or-v1-wrong");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator("#page-error .error-box").filter({ hasText: "management key was refused" }).waitFor();
  assert.equal(await rows(page).count(), 0, "no key of the previous connection is shown");
  assert.ok(await page.locator("#capabilities li.cap.yes").count() >= 5, "capabilities are the provider's, whatever the key");
  // No key at all: the client cannot be made; the create button says why, not "not offered".
  await page.locator("#management-key").fill("");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator("#management-key-error").filter({ hasText: /required/ }).waitFor();
  assert.equal(await page.locator("#page-error .error-box").count(), 0, "the old 401 went away");
  assert.match(await page.getByRole("button", { name: "Create key" }).getAttribute("title"), /connection settings/);
  expected = [];

  // Fluxbase: a key's scopes outside the form's list are shown, ticked, so saving keeps them.
  const fluxbase = (await sandbox.keys("fluxbase")).count;
  await openProvider(page, "fluxbase", "Fluxbase", fluxbase);
  await row(page, "Key manager").getByRole("button", { name: "Key manager" }).click();
  await page.locator('#key-dialog button[data-op="update"]').click();
  const form = page.locator("#form-dialog");
  await form.waitFor({ state: "visible" });
  for (const scope of ["read:apikeys", "write:apikeys"]) {
    assert.ok(await form.getByLabel(scope, { exact: true }).isChecked(), `${scope} is shown ticked`);
  }
  assertClean();
  await context.close();
});

/** A page of `context` at `hash` whose request for the sandbox's settings waits for `release()`. */
async function pageWithHeldSettings(context, hash) {
  const page = await context.newPage();
  watch(page);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route("**/_sandbox/info", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${sandbox.url}/${hash}`);
  return { page, release };
}

test("the demo page takes a provider picked and a key typed before it had the sandbox's connection settings", { timeout: 30_000 }, async () => {
  await sandbox.reset();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const first = await pageWithHeldSettings(context, "#quantum");
  await first.page.getByLabel("Fluxbase", { exact: true }).check();
  await first.page.getByRole("button", { name: "Reload" }).click();
  first.release();
  await waitLoaded(first.page, "Fluxbase", (await sandbox.keys("fluxbase")).count);
  assert.notEqual(await first.page.locator("#management-key").inputValue(), "", "the sandbox's key is filled in");

  // A key typed (and Connect pressed) before then is the one used, not replaced by the sandbox's.
  expected = [/Failed to load resource: the server responded with a status of 401/];
  const second = await pageWithHeldSettings(context, "#openrouter");
  await second.page.locator("#management-key").fill("sk-or-v1-typed-early");
  await second.page.getByRole("button", { name: "Connect" }).click();
  second.release();
  await second.page.locator("#page-error .error-box").filter({ hasText: "management key was refused" }).waitFor();
  assert.equal(await second.page.locator("#management-key").inputValue(), "sk-or-v1-typed-early");
  expected = [];
  assertClean();
  await context.close();
});

test("the demo page works at phone width", { timeout: 30_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  watch(page);
  await page.goto(`${sandbox.url}/#quantum`);
  await waitLoaded(page, "Quantum AI", 4);
  await page.locator("#usage-chart svg.day-chart").waitFor();
  const chartWidth = await page.locator("#usage-chart svg.day-chart").evaluate((svg) => svg.getBoundingClientRect().width);
  assert.ok(chartWidth > 250 && chartWidth <= 375, `the chart fits the phone (${chartWidth}px)`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 375);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (overflow ${overflow}px)`);
  await page.screenshot({ path: path.join(shots, "demo-phone.png"), fullPage: true });
  assertClean();
  await context.close();
});

test("the demo page shows a key whose create answer was lost, lets a slow create be cancelled, and a double click keeps a form", { timeout: 40_000 }, async () => {
  const { context, page } = await freshOpenRouterPage();
  const form = page.locator("#form-dialog");

  // A double click on "Create key": the second click must not land on the backdrop and close the form.
  await page.getByRole("button", { name: "Create key" }).dblclick();
  await form.waitFor({ state: "visible" });
  await page.waitForTimeout(300);
  assert.ok(await form.isVisible(), "the form stayed open");

  // The provider made the key but its answer was cut: the form says so and the list shows the key.
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { malformed: "truncated" } });
  await form.getByLabel(/^Name/).fill("Answer lost");
  await form.getByRole("button", { name: "Create key" }).click();
  await form.locator(".error-box").filter({ hasText: /most likely carried out.*secret/s }).waitFor();
  await row(page, "Answer lost").waitFor();

  // A slow create: the form's Cancel stops the call (the header's Cancel is behind the modal),
  // and since the request was sent, the page says the key may have been made.
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { delayMs: 3000 } });
  await form.getByLabel(/^Name/).fill("Slow one");
  await form.getByRole("button", { name: "Create key" }).click();
  await form.locator('button[type="submit"][aria-busy="true"]').waitFor();
  // Escape, twice and more, does not close a busy form (its result would be lost).
  for (let i = 0; i < 3; i++) await page.keyboard.press("Escape");
  await page.waitForTimeout(100);
  assert.ok(await form.isVisible(), "the busy form stayed open");
  await form.locator('button[type="submit"][aria-busy="true"]').waitFor();
  await form.getByRole("button", { name: "Cancel" }).click();
  await form.locator(".error-box").filter({ hasText: /may have carried it out/ }).waitFor({ timeout: 2_000 });
  await page.keyboard.press("Escape");
  await form.waitFor({ state: "hidden" });
  assertClean();
  await context.close();
});

test("the demo page tells a Quantum AI rotation's grace period as it is, and a GPT Core edit of the rate period alone keeps the requests", { timeout: 40_000 }, async () => {
  await sandbox.reset();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page);
  await page.goto(`${sandbox.url}/`);
  await openProvider(page, "quantum", "Quantum AI", (await sandbox.keys("quantum")).count);
  const details = page.locator("#key-dialog");
  const form = page.locator("#form-dialog");
  const secretDialog = page.locator("#secret-dialog");
  /** Rotates the key named `name` with `grace` typed (or none) and returns the secret dialog's note. */
  async function rotate(name, grace) {
    await row(page, name).first().getByRole("button", { name, exact: true }).click();
    await details.waitFor({ state: "visible" });
    await details.locator('button[data-op="rotate"]').click();
    await form.waitFor({ state: "visible" });
    if (grace !== null) await form.getByLabel(/^Grace period/).fill(String(grace));
    await form.getByRole("button", { name: "Rotate secret" }).click();
    await secretDialog.waitFor({ state: "visible" });
    const note = await secretDialog.locator("#secret-note").textContent();
    await secretDialog.getByRole("button", { name: /close/i }).click();
    await secretDialog.waitFor({ state: "hidden" });
    return note;
  }
  // No grace: the old key is revoked at once, and the page says so.
  assert.match(await rotate("Production", null), /the old one \(.+\) no longer works\./);
  await page.waitForFunction(() => [...document.querySelectorAll("#keys-body tr")].some((tr) => tr.textContent.includes("Production") && /revoked/i.test(tr.textContent)));
  // A grace period: the old key still works, and its row says it was replaced.
  assert.match(await rotate("CI", 60), /stops working in 60 s, when its grace period ends/);
  await page.locator("#keys-body tr", { hasText: "replaced" }).filter({ hasText: "CI" }).waitFor();
  assert.equal(await page.locator("#keys-body tr", { hasText: "replaced" }).count(), 1, "only the old key is marked");

  // GPT Core: only the period changed; the requests shown go with it.
  const sent = [];
  page.on("request", (request) => request.method() === "PATCH" && sent.push(JSON.parse(request.postData())));
  await openProvider(page, "gptcore", "GPT Core", (await sandbox.keys("gptcore")).count);
  await row(page, "CI").getByRole("button", { name: "CI", exact: true }).click();
  await details.waitFor({ state: "visible" });
  await details.locator('button[data-op="update"]').click();
  await form.waitFor({ state: "visible" });
  const requests = await form.getByLabel("Rate limit: requests").inputValue();
  await form.getByLabel("Rate limit: per seconds").fill("30");
  await form.getByRole("button", { name: /save/i }).click();
  await form.waitFor({ state: "hidden" });
  assert.deepEqual(sent.map((body) => body.data.attributes), [{ rate_limit_requests: Number(requests), rate_limit_period_seconds: 30 }]);
  assertClean();
  await context.close();
});

test("the demo page keeps what an action did over a slower refresh of the key, and shows a new key whatever the search", { timeout: 40_000 }, async () => {
  const { context, page } = await freshOpenRouterPage();
  const details = page.locator("#key-dialog");

  // The refresh of a key opened is held back until after a disable and a delete of it.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/\/openrouter\/api\/v1\/keys\/[0-9a-f]{64}$/, async (route) => {
    if (route.request().method() !== "GET") return route.fallback();
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  await row(page, "CI").getByRole("button", { name: "CI" }).click();
  await details.waitFor({ state: "visible" });
  await details.locator('button[data-op="revoke"]').click();
  await row(page, "CI").locator(".badge", { hasText: "disabled" }).waitFor();
  release();
  await page.waitForFunction(() => !document.querySelector("#status")?.classList.contains("busy"));
  await page.waitForTimeout(200);
  assert.equal(await row(page, "CI").locator(".badge").textContent(), "disabled", "the slower refresh did not undo the disable");

  // A search that hides everything: a key created now is shown anyway.
  await page.keyboard.press("Escape");
  await details.waitFor({ state: "hidden" });
  await page.locator("#search").fill("no such key");
  await page.getByRole("button", { name: "Create key" }).click();
  const form = page.locator("#form-dialog");
  await form.getByLabel(/^Name/).fill("Found anyway");
  await form.getByRole("button", { name: "Create key" }).click();
  const secretDialog = page.locator("#secret-dialog");
  await secretDialog.waitFor({ state: "visible" });
  await secretDialog.getByRole("button", { name: /close/i }).click();
  await row(page, "Found anyway").waitFor();
  assert.equal(await page.locator("#search").inputValue(), "", "the search was cleared");
  assertClean();
  await context.close();
});

test("the demo sorts names as people read them: bulk-2 before bulk-10, case aside", async () => {
  const { sortKeys } = await import("../../www/table.js");
  const names = (direction) => sortKeys(["bulk-10", "Alpha", "bulk-2", "alpha 3", "Bulk-1"].map((name) => ({ name })), { column: "name", direction }).map((k) => k.name);
  assert.deepEqual(names("ascending"), ["Alpha", "alpha 3", "Bulk-1", "bulk-2", "bulk-10"]);
  assert.deepEqual(names("descending"), ["bulk-10", "bulk-2", "Bulk-1", "alpha 3", "Alpha"]);
});

// End-to-end: the installed package in Chromium (headless, driven by playwright-core),
// against the sandbox. The sandbox serves the page and the scenarios (`--www tests/e2e`:
// /www/index.html, /scenarios.mjs) and the npm-installed package (`--pkg`: /pkg/), so
// the page and the APIs share one origin. The page imports "apikeys-wasm" through an
// import map to /pkg/index.js (the "browser" export condition), runs every scenario and
// leaves the results on `window.e2e`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { chromium } from "playwright-core";
import { root } from "./support/sandbox.mjs";
import { scenarioSuite, userProject, withSandbox } from "../e2e/harness.mjs";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

const installed = () => path.join(userProject(), "node_modules/apikeys-wasm");
const sandbox = withSandbox(() => ["--www", path.join(root, "tests/e2e"), "--pkg", installed()]);

let browser;
let version;
const pageErrors = [];
after(async () => {
  await browser?.close();
});

/** Runs the e2e page (`query`: its search part) in a new tab; resolves to its results. */
async function runPage(sb, query = "") {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, timeout: 30_000 });
  version = browser.version();
  const page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(`${sb.url}/www/index.html${query}`);
  try {
    await page.waitForFunction(() => window.e2e && window.e2e.done, null, { timeout: 60_000, polling: 100 });
  } catch (error) {
    throw new Error(`the page did not finish: ${error.message}\npage errors:\n${pageErrors.join("\n")}`);
  }
  const state = await page.evaluate(() => window.e2e);
  if (state.error) throw new Error(`the page failed: ${state.error}\n${pageErrors.join("\n")}`);
  await page.close();
  return state.results;
}

scenarioSuite("chromium", (sb) => runPage(sb), { sandbox });

scenarioSuite("chromium, apikeys-wasm/anthropic", (sb) => runPage(sb, "?entry=anthropic&providers=anthropic"), { sandbox, providers: ["anthropic"] });

test("the browser entry is index.js (the \"browser\" export condition), anthropic/index.js for apikeys-wasm/anthropic", () => {
  const manifest = JSON.parse(readFileSync(path.join(installed(), "package.json"), "utf8"));
  assert.equal(manifest.exports["."].browser, "./index.js");
  assert.equal(manifest.exports["./anthropic"].browser, "./anthropic/index.js");
  assert.ok(version, "chromium did not start");
});

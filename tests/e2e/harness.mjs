// Node-side helpers of the e2e runners (tests/js/e2e-*.test.mjs): one node:test per
// scenario, and running a child process that prints the scenario results as JSON.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { scratchProject } from "../js/support/install.mjs";
import { startSandbox } from "../js/support/sandbox.mjs";
import { scenarioNames } from "./scenarios.mjs";

/**
 * Registers `describe(label)` with one test per scenario name. `run(sandbox)` runs the
 * scenarios in the runtime and resolves to the results array (or `{ skip: reason }`).
 * `sandbox()` gives the shared sandbox of the file (started by `withSandbox`).
 */
export function scenarioSuite(label, run, { providers, timeout = 90_000, sandbox } = {}) {
  describe(label, () => {
    let outcome;
    before(async () => {
      outcome = await run(sandbox());
    }, { timeout });

    const names = scenarioNames(providers);
    for (const name of names) {
      test(name, (t) => {
        if (outcome && outcome.skip) return t.skip(outcome.skip);
        assert.ok(Array.isArray(outcome), `the ${label} run gave no results: ${JSON.stringify(outcome)}`);
        const result = outcome.find((r) => r.name === name);
        assert.ok(result, `scenario did not run in ${label}`);
        if (!result.ok) assert.fail(`${label}: ${result.error}`);
      });
    }
    test("reports exactly the scenario list", (t) => {
      if (outcome && outcome.skip) return t.skip(outcome.skip);
      assert.deepEqual(outcome.map((r) => r.name), names);
    });
  });
}

let userDir;

/** The scratch project with the packed package installed (removed after the file's tests). */
export function userProject() {
  return (userDir = scratchProject());
}

/** Starts one sandbox for the test file (extra CLI flags, or a function giving them); returns a getter. */
export function withSandbox(extraArgs = []) {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox(typeof extraArgs === "function" ? extraArgs() : extraArgs);
  });
  after(async () => {
    await sandbox?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });
  return () => sandbox;
}

/**
 * Runs a command; resolves to `{ code, stdout, stderr }`. Killed (and rejected) after
 * `timeoutMs`. `onLine(line, child)` sees each stdout line as it comes.
 */
export function runProcess(command, args, { cwd, env, timeoutMs = 60_000, stdio, onLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: stdio || ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      if (!onLine) return;
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        onLine(pending.slice(0, newline), child);
        pending = pending.slice(newline + 1);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, child });
    });
  });
}

/** The JSON of the last stdout line that starts with the marker, or a clear error. */
export function parseMarked(output, marker = "E2E_RESULTS ") {
  const line = output.stdout.split("\n").reverse().find((l) => l.startsWith(marker));
  if (!line) {
    throw new Error(`no "${marker.trim()}" line (exit ${output.code ?? output.signal})\nstdout: ${output.stdout.slice(-4000)}\nstderr: ${output.stderr.slice(-4000)}`);
  }
  return JSON.parse(line.slice(marker.length));
}

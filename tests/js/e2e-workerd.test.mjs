// End-to-end: the installed package in workerd (the Cloudflare Workers runtime), against
// the sandbox. A generated workerd config (capnp text) lists the worker
// (tests/e2e/workerd/worker.mjs), the scenarios and every file of the installed package
// as modules (.js as esModule, .wasm as a wasm module). The bare name "apikeys-wasm" is
// resolved here the way a Workers bundler does: through the package's exports map with the
// "workerd" condition, registered as a one-line module that re-exports that entry.
// Outbound fetch goes to a network service that allows loopback ("local") only. The worker
// listens on 127.0.0.1 at a port workerd picks (reported on --control-fd), and one request
// to it runs every scenario.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { root } from "./support/sandbox.mjs";
import { scenarioSuite, userProject, withSandbox } from "../e2e/harness.mjs";

const WORKERD = path.join(root, "node_modules/.bin/workerd");
const COMPATIBILITY_DATE = "2025-09-01";
/** Before 2022-01-31 workerd keeps properties such as `AbortSignal`'s `aborted` on each object, not as prototype getters. */
const OLD_COMPATIBILITY_DATE = "2021-11-03";
/** Conditions a Workers bundler (wrangler/esbuild) resolves package exports with. */
const CONDITIONS = ["workerd", "worker", "browser", "import", "default"];

const sandbox = withSandbox();
const workerds = [];
let configDir;
after(async () => {
  for (const workerd of workerds) {
    if (workerd.exitCode === null && workerd.signalCode === null) {
      const exited = new Promise((resolve) => workerd.once("exit", resolve));
      workerd.kill("SIGTERM");
      await exited;
    }
  }
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** Node's exports resolution for "." with `conditions` (first matching key wins). */
function resolveExport(target, conditions) {
  if (typeof target === "string") return target;
  if (target && typeof target === "object") {
    for (const [key, value] of Object.entries(target)) {
      if (conditions.includes(key)) {
        const found = resolveExport(value, conditions);
        if (found) return found;
      }
    }
  }
  return null;
}

function filesUnder(dir, prefix = "") {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? filesUnder(full, rel) : [rel];
  });
}

const capnpString = (text) => JSON.stringify(text);

/**
 * Writes the config into a temp dir, with a copy of every file it embeds (capnp `embed`
 * reads only files under the config's directory); returns `{ config, entry }`.
 */
function writeConfig() {
  const pkgDir = path.join(userProject(), "node_modules/apikeys-wasm");
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const entry = resolveExport(manifest.exports["."], CONDITIONS);
  const anthropicEntry = resolveExport(manifest.exports["./anthropic"], CONDITIONS);
  assert.ok(entry && anthropicEntry, "the exports map has no entry for workerd");
  const dir = (configDir = mkdtempSync(path.join(tmpdir(), "apikeys-workerd-")));
  // workerd resolves a module's imports against its name: "apikeys-wasm/anthropic" sits in "apikeys-wasm/".
  const reexport = (target, up) => `export * from "${up}node_modules/apikeys-wasm/${target.replace(/^\.\//, "")}";\n`;
  writeFileSync(path.join(dir, "apikeys-wasm.mjs"), reexport(entry, "./"));
  writeFileSync(path.join(dir, "apikeys-wasm-anthropic.mjs"), reexport(anthropicEntry, "../"));
  cpSync(path.join(root, "tests/e2e/workerd/worker.mjs"), path.join(dir, "worker.mjs"));
  cpSync(path.join(root, "tests/e2e/scenarios.mjs"), path.join(dir, "scenarios.mjs"));
  cpSync(pkgDir, path.join(dir, "node_modules/apikeys-wasm"), { recursive: true });

  // [module name, kind, file relative to the config]
  const modules = [
    ["worker.mjs", "esModule", "worker.mjs"],
    ["scenarios.mjs", "esModule", "scenarios.mjs"],
    ["apikeys-wasm", "esModule", "apikeys-wasm.mjs"],
    ["apikeys-wasm/anthropic", "esModule", "apikeys-wasm-anthropic.mjs"],
  ];
  for (const rel of filesUnder(pkgDir)) {
    const kind = rel.endsWith(".wasm") ? "wasm" : /\.m?js$/.test(rel) ? "esModule" : null;
    if (kind) modules.push([`node_modules/apikeys-wasm/${rel}`, kind, `node_modules/apikeys-wasm/${rel}`]);
  }
  const configAt = (date) => {
    const config = path.join(dir, `config-${date}.capnp`);
    writeFileSync(config, configText(modules, date));
    return config;
  };
  return { config: configAt(COMPATIBILITY_DATE), oldConfig: configAt(OLD_COMPATIBILITY_DATE), entry, anthropicEntry };
}

/** The workerd config serving the worker with `modules` at compatibility `date`. */
function configText(modules, date) {
  return `# Generated by tests/js/e2e-workerd.test.mjs
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .e2eWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:0", http = (), service = "main"),
  ],
);

const e2eWorker :Workerd.Worker = (
  modules = [
${modules.map(([name, kind, file]) => `    (name = ${capnpString(name)}, ${kind} = embed ${capnpString(file)}),`).join("\n")}
  ],
  compatibilityDate = ${capnpString(date)},
  globalOutbound = "loopback",
);
`;
}

/** Starts workerd; resolves to the port of socket "http" (read from --control-fd). */
async function startWorkerd(config) {
  const workerd = spawn(WORKERD, ["serve", config, "--control-fd=3"], { stdio: ["ignore", "inherit", "pipe", "pipe"] });
  workerds.push(workerd);
  let stderr = "";
  workerd.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within 30 s: ${stderr}`)), 30_000);
    createInterface({ input: workerd.stdio[3] }).on("line", (line) => {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event === "listen" && event.socket === "http") {
        clearTimeout(timer);
        resolve(event.port);
      }
    });
    workerd.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
}

let written;
let port;

/** Runs the scenarios in the worker (`query`: extra parameters of /run). */
async function runInWorker(sb, query = "", at = port) {
  const response = await fetch(`http://127.0.0.1:${at}/run?sandbox=${encodeURIComponent(sb.url)}${query}`, {
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `worker answered ${response.status}: ${text}`);
  return JSON.parse(text).results;
}

scenarioSuite("workerd", async (sb) => {
  written = writeConfig();
  port = await startWorkerd(written.config);
  return runInWorker(sb);
}, { sandbox });

scenarioSuite("workerd, apikeys-wasm/anthropic", (sb) => runInWorker(sb, "&providers=anthropic&entry=anthropic"), { sandbox, providers: ["anthropic"] });

scenarioSuite(`workerd at compatibility date ${OLD_COMPATIBILITY_DATE} (properties on each object, not prototype getters)`, async (sb) => {
  const oldPort = await startWorkerd(written.oldConfig);
  return runInWorker(sb, "&providers=openrouter", oldPort);
}, { sandbox, providers: ["openrouter"] });

test("a call made at module scope, where workerd refuses timers, rejects with a NetworkError saying nothing was sent", async () => {
  const ended = await (await fetch(`http://127.0.0.1:${port}/module-scope`, { signal: AbortSignal.timeout(30_000) })).json();
  assert.equal(ended.length, 3);
  const aborted = ended.pop();
  assert.ok(aborted.apiKeysError && aborted.name === "AbortError", `a signal that had fired still says abort: ${aborted.name}: ${aborted.message}`);
  for (const { name, apiKeysError, message } of ended) {
    assert.ok(apiKeysError && name === "NetworkError", `${name}: ${message}`);
    assert.match(message, /^the runtime refused to send the request: .*global scope/);
    assert.ok(!message.includes("may have carried it out"), message);
  }
});

test("workerd gets workerd.js (the \"workerd\" export condition), and anthropic/workerd.js for apikeys-wasm/anthropic", () => {
  assert.equal(written?.entry, "./workerd.js");
  assert.equal(written?.anthropicEntry, "./anthropic/workerd.js");
});

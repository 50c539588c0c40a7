// Start-up: time from import to the first request being sent.
//  * Node: a fresh `node` process per sample (startup/node-child.mjs); inside it,
//    performance.now() from before import() to the first call of the client's fetch. The
//    slow SDKs take fewer samples, spread evenly over the rounds.
//  * workerd: a fresh `workerd serve` process per sample with a generated config serving one
//    worker (startup/worker-*.mjs); wall time measured here from spawn to the answer of the
//    first HTTP request, whose handler constructs the client and calls list() with a canned
//    fetch; the library's cost is that less the empty worker's time of the same round.
//    (Timing inside the isolate is not possible: workerd freezes performance.now() and
//    Date.now() during execution as a Spectre mitigation, so pure compute reads 0 ms.)
import { build } from "esbuild";
import { spawn, execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { benchDir, log, median, pkgDir, quantile, quick, root, shuffled, writeResult } from "./lib.mjs";

const run = promisify(execFile);
const NODE_RUNS = quick ? 4 : 40;
const NODE_RUNS_SLOW = quick ? 2 : 12; // the SDKs take ~0.3-1 s per process here
const WORKERD_RUNS = quick ? 3 : 20;

const summarize = (xs) => ({ n: xs.length, median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: Math.min(...xs) });

// ---------------------------------------------------------------- Node
const nodeVariants = [
  ["baseline", "no library: the canned fetch called directly", NODE_RUNS],
  ["ours", "apikeys-wasm (node.js entry), openrouter list()", NODE_RUNS],
  ["ours-anthropic", "apikeys-wasm (node.js entry), anthropic list()", NODE_RUNS],
  ["ours-openrouter-entry", "apikeys-wasm/openrouter (one-provider entry, openrouter/node.js), openrouter list()", NODE_RUNS],
  ["openrouter-funcs", "@openrouter/sdk OpenRouterCore + apiKeysList", NODE_RUNS_SLOW],
  ["openrouter-sdk", "@openrouter/sdk new OpenRouter() + apiKeys.list", NODE_RUNS_SLOW],
  ["anthropic-resource", "@anthropic-ai/sdk BaseAnthropic + organization APIKeys.list", NODE_RUNS_SLOW],
  ["anthropic-sdk", "@anthropic-ai/sdk new Anthropic() + organization.apiKeys.list", NODE_RUNS_SLOW],
];
const samples = Object.fromEntries(nodeVariants.map(([v]) => [v, []]));
/** Whether a variant of `n` samples takes one in `round`: its samples spread evenly over the NODE_RUNS rounds. */
const samplesIn = (round, n) => Math.floor(((round + 1) * n) / NODE_RUNS) > Math.floor((round * n) / NODE_RUNS);
// interleaved: each round runs every variant due a sample in it, in a random order
for (let round = 0; round < NODE_RUNS; round++) {
  for (const [v] of shuffled(nodeVariants.filter(([, , n]) => samplesIn(round, n)))) {
    const { stdout } = await run(process.execPath, [path.join(benchDir, "startup/node-child.mjs"), v], { cwd: benchDir });
    samples[v].push(JSON.parse(stdout));
  }
  if (round % 5 === 0) log(`node start-up round ${round}`);
}
const node = nodeVariants.map(([variant, label]) => {
  const s = samples[variant];
  return {
    variant,
    label,
    firstFetchMs: summarize(s.map((x) => x.firstFetchMs)),
    importMs: summarize(s.map((x) => x.importMs)),
    sinceProcessStartMs: summarize(s.map((x) => x.sinceProcessStartMs)),
  };
});
for (const r of node) log("node", r.variant, r.firstFetchMs.median.toFixed(1), "ms");

// ---------------------------------------------------------------- workerd
const WORKERD = path.join(root, "node_modules/.bin/workerd");
const capnp = (s) => JSON.stringify(s);

/** Writes a config dir for one worker variant; returns the config path. */
async function workerConfig(variant) {
  const dir = mkdtempSync(path.join(tmpdir(), `apikeys-bench-workerd-${variant}-`));
  const modules = [];
  if (variant === "baseline") {
    cpSync(path.join(benchDir, `startup/worker-${variant}.mjs`), path.join(dir, "worker.mjs"));
    modules.push(["worker.mjs", "esModule"]);
  } else if (variant === "ours") {
    // As wrangler makes it, and as the SDKs' are: one esbuild bundle of the JS, and the .wasm
    // it imports as a module of its own (Workers compile wasm only that way).
    const entry = path.join(dir, "entry.mjs");
    const source = readFileSync(path.join(benchDir, "startup/worker-ours.mjs"), "utf8");
    writeFileSync(entry, source.replace('"./pkg/workerd.js"', JSON.stringify(path.join(pkgDir, "workerd.js"))));
    await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", external: ["*.wasm"], outfile: path.join(dir, "worker.mjs"), logLevel: "warning" });
    cpSync(path.join(pkgDir, "apikeys_bg.wasm"), path.join(dir, "apikeys_bg.wasm"));
    modules.push(["worker.mjs", "esModule"], ["apikeys_bg.wasm", "wasm"]);
  } else {
    // the SDKs: one module bundled by esbuild, as wrangler would
    await build({
      entryPoints: [path.join(benchDir, `startup/worker-${variant}.mjs`)],
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      outfile: path.join(dir, "worker.mjs"),
      logLevel: "warning",
      absWorkingDir: benchDir,
    });
    modules.push(["worker.mjs", "esModule"]);
  }
  const config = path.join(dir, "config.capnp");
  writeFileSync(config, `# Generated by bench/startup.mjs
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .benchWorker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const benchWorker :Workerd.Worker = (
  modules = [
${modules.map(([name, kind]) => `    (name = ${capnp(name)}, ${kind} = embed ${capnp(name)}),`).join("\n")}
  ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
);
`);
  return { dir, config };
}

/** One sample: spawn workerd, wait for its socket (--control-fd), send one request. */
async function workerdSample(config) {
  const t0 = performance.now();
  const child = spawn(WORKERD, ["serve", config, "--control-fd=3"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workerd did not listen: ${stderr}`)), 30_000);
      createInterface({ input: child.stdio[3] }).on("line", (line) => {
        const msg = JSON.parse(line);
        if (msg.event === "listen" && msg.socket === "http") {
          clearTimeout(timer);
          resolve(msg.port);
        }
      });
      child.once("exit", (code) => reject(new Error(`workerd exited ${code}: ${stderr}`)));
    });
    const tListen = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/`);
    const text = await response.text();
    const tFirst = performance.now();
    if (text !== "ok") throw new Error(`worker answered ${response.status}: ${text} ${stderr}`);
    // a second request: the warm cost of one more handler call
    const t2 = performance.now();
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const tSecond = performance.now() - t2;
    return { listenMs: tListen - t0, firstResponseMs: tFirst - t0, secondRequestMs: tSecond };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const workerdVariants = [
  ["baseline", "no library"],
  ["ours", "apikeys-wasm (workerd.js entry, wasm as a module)"],
  ["openrouter", "@openrouter/sdk OpenRouterCore + apiKeysList (esbuild bundle)"],
  ["anthropic", "@anthropic-ai/sdk BaseAnthropic + APIKeys (esbuild bundle)"],
];
const configs = {};
for (const [v] of workerdVariants) configs[v] = await workerConfig(v);
const wsamples = Object.fromEntries(workerdVariants.map(([v]) => [v, []]));
const werrors = {};
for (let round = 0; round < WORKERD_RUNS + 1; round++) {
  for (const [v] of shuffled(workerdVariants)) {
    if (werrors[v]) continue;
    try {
      const s = await workerdSample(configs[v].config);
      if (round > 0) wsamples[v].push({ round, ...s }); // round 0 warms the page cache
    } catch (e) {
      werrors[v] = String(e.message || e).slice(0, 500);
      log("workerd", v, "failed:", werrors[v]);
    }
  }
  if (round % 5 === 0) log(`workerd start-up round ${round}`);
}
/** Each round's first answer less the empty worker's in the same round (paired). */
function minusEmpty(s) {
  const empty = new Map(wsamples.baseline.map((x) => [x.round, x.firstResponseMs]));
  return s.filter((x) => empty.has(x.round)).map((x) => x.firstResponseMs - empty.get(x.round));
}
for (const { dir } of Object.values(configs)) rmSync(dir, { recursive: true, force: true });
const workerd = workerdVariants.map(([variant, label]) => {
  const s = wsamples[variant];
  if (werrors[variant]) return { variant, label, error: werrors[variant] };
  return {
    variant,
    label,
    listenMs: summarize(s.map((x) => x.listenMs)),
    firstResponseMs: summarize(s.map((x) => x.firstResponseMs)),
    secondRequestMs: summarize(s.map((x) => x.secondRequestMs)),
    minusEmptyMs: variant === "baseline" || werrors.baseline ? null : summarize(minusEmpty(s)),
  };
});
for (const r of workerd) log("workerd", r.variant, r.firstResponseMs?.median.toFixed(1), "ms");

writeResult("startup", { node, workerd });

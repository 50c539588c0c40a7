// Memory: listAll over seeded OpenRouter keys (pages of 100), each run in a fresh process
// (memory-child.mjs), our package and the fetch + JSON.parse floor.
//  * Heap: one gc()-paced run each over 100 000 keys (`node --expose-gc`, gc() every 20
//    pages): the per-page growth (least-squares slope) of heapUsed after gc() over the second
//    half of the pages (steady state) and over the pages after the first 10 %.
//  * Peak: the true peak RSS (process.resourceUsage().maxRSS) of runs without forced gc(), as
//    a user's process runs, ours and the floor alternating, PEAK_RUNS each over 100 000 keys
//    and again over 200 000 (twice as many): flat means the peak does not grow with the keys
//    walked. (300 000 took a minute more: the sandbox's offset paging slows down deep in a list.)
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { benchDir, linearFit, log, median, quick, seedListedOpenRouter, startSandbox, writeResult } from "./lib.mjs";

const run = promisify(execFile);
const SEEDED = quick ? 10_000 : 100_000;
const LONG = quick ? 20_000 : 200_000;
const PEAK_RUNS = quick ? 2 : 3;
const VARIANTS = ["ours", "floor"];
/** The sandbox seeds at most this many keys per call. */
const SEED_BATCH = 200_000;

const sb = await startSandbox();
try {
  const o = sb.options("openrouter");
  await seedListedOpenRouter(sb, SEEDED);
  const runs = [];
  for (const variant of VARIANTS) runs.push(pacedRow(await child(variant, "paced", o)));
  const peaks = [await peakRuns(o, SEEDED)];
  for (let seeded = SEEDED; seeded < LONG; seeded += SEED_BATCH) await sb.seed("openrouter", Math.min(SEED_BATCH, LONG - seeded));
  peaks.push(await peakRuns(o, LONG));
  writeResult("memory", { seeded: SEEDED, runs, peakRuns: PEAK_RUNS, peaks });
} finally {
  await sb.stop();
}

/** One walk in a fresh process (`regime`: "paced" or "peak", see memory-child.mjs). */
async function child(variant, regime, o) {
  const flags = regime === "paced" ? ["--expose-gc"] : [];
  const { stdout } = await run(process.execPath, [...flags, path.join(benchDir, "memory-child.mjs"), variant, regime, o.baseUrl, o.apiKey], { cwd: benchDir, maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

/** The gc()-paced run as the report shows it: heap slopes and the wasm memory. */
function pacedRow(r) {
  const steady = heapFit(r, Math.floor(r.pages / 2));
  const early = heapFit(r, Math.floor(r.pages / 10));
  const row = {
    variant: r.variant,
    keys: r.keys,
    pages: r.pages,
    seconds: r.ms / 1000,
    heapSlopeBytesPerPage: steady.heapSlopeBytesPerPage,
    steady,
    early,
    wasmMemory: r.wasmMemory.end == null ? null : {
      first: r.gcSamples[0].wasmMemory,
      half: r.gcSamples.find((s) => s.page > r.pages / 2)?.wasmMemory,
      last: r.gcSamples.at(-1).wasmMemory,
    },
    gcSamples: r.gcSamples,
  };
  log("memory (gc() paced)", row.variant, `${row.keys} keys`, `heap slope ${row.heapSlopeBytesPerPage.toFixed(1)} B/page`, `(from 10 %: ${early.heapSlopeBytesPerPage.toFixed(1)})`);
  return row;
}

/** Per-page growth of heapUsed after gc() over the pages after `from`. */
function heapFit(r, from) {
  const tail = r.gcSamples.filter((s) => s.page > from);
  return { fromPage: from + 1, heapSlopeBytesPerPage: linearFit(tail.map((s) => s.page), tail.map((s) => s.heapUsed)).slope };
}

/** PEAK_RUNS peak runs of each variant over `keys` keys, alternating (who starts alternates too). */
async function peakRuns(o, keys) {
  const samples = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let i = 0; i < PEAK_RUNS; i++) {
    for (const variant of i % 2 ? [...VARIANTS].reverse() : VARIANTS) samples[variant].push(await child(variant, "peak", o));
  }
  const rows = VARIANTS.map((variant) => peakRow(variant, samples[variant]));
  for (const r of rows) log("memory (peak)", r.variant, `${r.keys} keys`, `max RSS ${(r.maxRss.median / 2 ** 20).toFixed(1)} MiB (${r.maxRss.runs.map((b) => (b / 2 ** 20).toFixed(1)).join(", ")})`);
  return { keys, rows };
}

/** One variant's peak runs: the median and range of maxRSS, and the wasm memory at the end. */
function peakRow(variant, runs) {
  const maxRss = runs.map((r) => r.maxRss);
  const wasmEnd = runs.map((r) => r.wasmMemory.end);
  return {
    variant,
    keys: runs[0].keys,
    pages: runs[0].pages,
    seconds: median(runs.map((r) => r.ms / 1000)),
    maxRss: { median: median(maxRss), min: Math.min(...maxRss), max: Math.max(...maxRss), runs: maxRss },
    wasmMemory: wasmEnd[0] == null ? null : { start: runs[0].wasmMemory.start, endMax: Math.max(...wasmEnd) },
  };
}

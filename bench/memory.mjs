// Memory: listAll over 100 000 seeded OpenRouter keys (1 000 pages of 100), each variant in a
// fresh `node --expose-gc` process (memory-child.mjs), our package and the fetch + JSON.parse
// floor. Reports the peak RSS and the per-page growth (least-squares slope) of heapUsed after
// gc() and of RSS over the second half of the pages (steady state; V8 tiers code up and the
// allocators settle in the first pages), plus the same over pages after the first 10 %.
// Then the long run: the same walk over 300 000 keys, to show where RSS settles once
// the first thousand pages' warm-up is over (slopes over its last two thirds).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { benchDir, linearFit, log, quick, seedListedOpenRouter, startSandbox, writeResult } from "./lib.mjs";

const run = promisify(execFile);
const SEEDED = quick ? 10_000 : 100_000;
const LONG = quick ? 20_000 : 300_000;
/** The sandbox seeds at most this many keys per call. */
const SEED_BATCH = 200_000;

const sb = await startSandbox();
try {
  const o = sb.options("openrouter");
  await seedListedOpenRouter(sb, SEEDED);
  const runs = [];
  for (const variant of ["ours", "floor"]) {
    const { rss, ...row } = await walk(variant, o);
    runs.push(row);
  }
  for (let seeded = SEEDED; seeded < LONG; seeded += SEED_BATCH) await sb.seed("openrouter", Math.min(SEED_BATCH, LONG - seeded));
  const long = [];
  for (const variant of ["ours", "floor"]) long.push(longRow(await walk(variant, o, "long run")));
  writeResult("memory", { seeded: SEEDED, runs, long: { seeded: LONG, runs: long } });
} finally {
  await sb.stop();
}

/** One variant's walk in a fresh process, with its slopes. */
async function walk(variant, o, label = "memory") {
  const { stdout } = await run(process.execPath, ["--expose-gc", path.join(benchDir, "memory-child.mjs"), variant, o.baseUrl, o.apiKey], { cwd: benchDir, maxBuffer: 64 << 20 });
  const r = JSON.parse(stdout);
  const steady = fits(r, Math.floor(r.pages / 2));
  const early = fits(r, Math.floor(r.pages / 10));
  const gcTail = r.gcSamples.filter((s) => s.page > Math.floor(r.pages / 10));
  const row = {
    variant,
    keys: r.keys,
    pages: r.pages,
    seconds: r.ms / 1000,
    startRss: r.start.rss,
    peakRss: r.peakRss,
    heapSlopeBytesPerPage: steady.heapSlopeBytesPerPage,
    rssSlopeBytesPerPage: steady.rssSlopeBytesPerPage,
    steady,
    early,
    rssAt: { tenth: r.rss[Math.floor(r.pages / 10) - 1], half: r.rss[Math.floor(r.pages / 2) - 1], end: r.rss.at(-1) },
    heapAfterGc: { first: gcTail[0]?.heapUsed, last: gcTail.at(-1)?.heapUsed, min: Math.min(...gcTail.map((s) => s.heapUsed)), max: Math.max(...gcTail.map((s) => s.heapUsed)) },
    wasmMemory: r.gcSamples[0]?.wasmMemory == null ? null : {
      first: r.gcSamples[0].wasmMemory,
      half: r.gcSamples.find((s) => s.page > r.pages / 2)?.wasmMemory,
      last: r.gcSamples.at(-1).wasmMemory,
    },
    gcSamples: r.gcSamples,
    rss: r.rss,
  };
  log(label, variant, `${row.keys} keys`, `peak RSS ${(row.peakRss / 2 ** 20).toFixed(1)} MiB`, `heap slope ${row.heapSlopeBytesPerPage.toFixed(1)} B/page`, `rss slope ${row.rssSlopeBytesPerPage.toFixed(1)} B/page`, `(from 10 %: heap ${early.heapSlopeBytesPerPage.toFixed(1)}, rss ${early.rssSlopeBytesPerPage.toFixed(1)})`);
  return row;
}

/** Per-page growth of heapUsed after gc() and of RSS over the pages after `from`. */
function fits(r, from) {
  const gcTail = r.gcSamples.filter((s) => s.page > from);
  const rssTail = r.rss.slice(from);
  return {
    fromPage: from + 1,
    heapSlopeBytesPerPage: linearFit(gcTail.map((s) => s.page), gcTail.map((s) => s.heapUsed)).slope,
    rssSlopeBytesPerPage: linearFit(rssTail.map((_, i) => i + from + 1), rssTail).slope,
  };
}

/** The long run as the report shows it: RSS at each third, slopes over the last two. */
function longRow(row) {
  const third = Math.floor(row.pages / 3);
  const { rss, gcSamples, ...rest } = row;
  const wasmSteps = gcSamples.filter((s, i) => i > 0 && s.wasmMemory > gcSamples[i - 1].wasmMemory).map((s) => ({ page: s.page, bytes: s.wasmMemory }));
  return {
    ...rest,
    rssAtThirds: [rss[third - 1], rss[2 * third - 1], rss.at(-1)],
    lastTwoThirds: fits({ rss, gcSamples }, third),
    wasmSteps,
  };
}

// One memory run in a fresh process: walks every OpenRouter page without keeping the keys and
// prints one JSON line. Two regimes:
//   `node --expose-gc memory-child.mjs <ours|floor> paced <baseUrl> <apiKey>`: every GC_EVERY
//     pages gc() runs and heapUsed (+ the wasm linear memory for ours) is recorded (for the
//     heap's per-page slope; forced gc() is not how a user's process runs);
//   `node memory-child.mjs <ours|floor> peak <baseUrl> <apiKey>`: no forced gc(), nothing sampled
//     during the walk; reports the process's true peak RSS, process.resourceUsage().maxRSS.
import { readFileSync } from "node:fs";

const [, , variant, regime, baseUrl, apiKey] = process.argv;
const GC_EVERY = 20;
const paced = regime === "paced";
// ours: what pkg/node.js does, keeping the wasm exports to read the linear memory's size;
// the floor does not load the package at all
let ApiKeys = null;
let wasm = null;
if (variant === "ours") {
  const glue = await import("../pkg/apikeys.js");
  wasm = glue.initSync({ module: readFileSync(new URL("../pkg/apikeys_bg.wasm", import.meta.url)) });
  ApiKeys = glue.ApiKeys;
}
const wasmMemory = () => (wasm ? wasm.memory.buffer.byteLength : null);

const gcSamples = [];
let pages = 0;
const onPage = () => {
  pages++;
  if (paced && pages % GC_EVERY === 0) {
    globalThis.gc();
    gcSamples.push({ page: pages, heapUsed: process.memoryUsage().heapUsed, wasmMemory: wasmMemory() });
  }
};

/** Every key, counted and dropped; `onPage` after each page. */
async function walk() {
  let keys = 0;
  if (variant === "ours") {
    const client = new ApiKeys({ provider: "openrouter", baseUrl, apiKey });
    for await (const _ of client.listAll({ onPage })) keys++;
    return keys;
  }
  const headers = { authorization: `Bearer ${apiKey}`, accept: "application/json" };
  for (let offset = 0; ; ) {
    const r = await fetch(`${baseUrl}/keys?offset=${offset}`, { headers });
    const page = JSON.parse(await r.text()).data;
    onPage();
    for (const _ of page) keys++;
    offset += page.length;
    if (page.length < 100) return keys;
  }
}

if (paced) globalThis.gc();
const startWasm = wasmMemory();
const t0 = performance.now();
const keys = await walk();
const ms = performance.now() - t0;
const maxRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ variant, regime, keys, pages, ms, maxRss, wasmMemory: { start: startWasm, end: wasmMemory() }, gcSamples }) + "\n");

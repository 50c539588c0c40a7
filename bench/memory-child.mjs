// One memory run in a fresh process (`node --expose-gc memory-child.mjs <ours|floor> <baseUrl> <apiKey>`):
// walks every OpenRouter page without keeping the keys, samples process.memoryUsage() after
// each page, and every GC_EVERY pages runs gc() first and records heapUsed (+ the wasm linear
// memory for ours). Prints one JSON line.
import { readFileSync } from "node:fs";

const [, , variant, baseUrl, apiKey] = process.argv;
const GC_EVERY = 20;
// ours: what pkg/node.js does, keeping the wasm exports to read the linear memory's size;
// the floor does not load the package at all
let ApiKeys = null;
let wasm = null;
if (variant === "ours") {
  const glue = await import("../pkg/apikeys.js");
  wasm = glue.initSync({ module: readFileSync(new URL("../pkg/apikeys_bg.wasm", import.meta.url)) });
  ApiKeys = glue.ApiKeys;
}

const rss = [];
const gcSamples = [];
let pages = 0;
const sample = () => {
  pages++;
  rss.push(process.memoryUsage.rss());
  if (pages % GC_EVERY === 0) {
    globalThis.gc();
    const m = process.memoryUsage();
    gcSamples.push({ page: pages, heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, wasmMemory: wasm ? wasm.memory.buffer.byteLength : null });
  }
};

globalThis.gc();
const start = process.memoryUsage();
const t0 = performance.now();
let keys = 0;
if (variant === "ours") {
  const client = new ApiKeys({ provider: "openrouter", baseUrl, apiKey });
  for await (const _ of client.listAll({ onPage: sample })) keys++;
} else {
  const headers = { authorization: `Bearer ${apiKey}`, accept: "application/json" };
  for (let offset = 0; ; ) {
    const r = await fetch(`${baseUrl}/keys?offset=${offset}`, { headers });
    const page = JSON.parse(await r.text()).data;
    sample();
    for (const _ of page) keys++;
    offset += page.length;
    if (page.length < 100) break;
  }
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ variant, keys, pages, ms, start: { rss: start.rss, heapUsed: start.heapUsed }, peakRss: Math.max(...rss), rss, gcSamples }) + "\n");

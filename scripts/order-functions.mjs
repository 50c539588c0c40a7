// Orders the wasm's functions so that similar ones sit together, for gzip: its window is
// 32 KB of a ~125 KB code section, so two functions that share byte patterns compress
// against each other only when they are near. A greedy chain: after each function comes
// the unplaced one whose 4-byte sequences overlap it most (Jaccard similarity of the sets).
// Calls, exports and the table name functions, so moving them changes no behaviour (the
// functions are re-added by their params and results: plain types, no GC type groups); the
// module is validated before it is written. Run between two wasm-opt passes: binaryen's
// reading of multi-value functions adds scratch locals that the second pass removes.
// Usage: node scripts/order-functions.mjs <file.wasm> (rewritten in place).
import binaryen from "../node_modules/binaryen/index.js";
import { readLeb } from "./leb128.mjs";
import { readModule, readWasm, refusal, writeModule } from "./wasm-file.mjs";

const fail = refusal("order-functions");
const path = process.argv[2];
const bytes = readWasm(path, "order-functions", fail);

/** The module's sections: id, name (custom sections only), and where the content lies. */
function sections() {
  const found = [];
  for (let at = 8; at < bytes.length; ) {
    const [size, start] = readLeb(bytes, at + 1);
    let name = "";
    if (bytes[at] === 0) {
      const [length, text] = readLeb(bytes, start);
      name = new TextDecoder().decode(bytes.subarray(text, text + length));
    }
    found.push({ id: bytes[at], name, start, end: start + size });
    at = start + size;
  }
  return found;
}

/** The bodies of the code section, in function order (imports have none). */
function functionBodies(code) {
  let [count, next] = readLeb(bytes, code.start);
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const [length, body] = readLeb(bytes, next);
    bodies.push(bytes.subarray(body, body + length));
    next = body + length;
  }
  return bodies;
}

/** Each 4-byte sequence of `body`, as a number. */
function grams(body) {
  const set = new Set();
  for (let i = 0; i + 4 <= body.length; i++) set.add(body[i] | (body[i + 1] << 8) | (body[i + 2] << 16) | (body[i + 3] << 24));
  return set;
}

function similarity(a, b) {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let common = 0;
  for (const gram of small) if (large.has(gram)) common++;
  return common / (1 + a.size + b.size - common);
}

/** Indices of `sets` in chain order, starting from the first. */
function chain(sets) {
  const left = new Set(sets.keys());
  const order = [0];
  left.delete(0);
  while (left.size > 0) {
    const last = sets[order[order.length - 1]];
    let best = -1;
    let bestScore = -1;
    for (const k of left) {
      const score = similarity(last, sets[k]);
      if (score > bestScore) [best, bestScore] = [k, score];
    }
    order.push(best);
    left.delete(best);
  }
  return order;
}

const CODE = 10;
const found = sections();
const code = found.find((section) => section.id === CODE);
if (code === undefined) fail("no code section");
// binaryen takes the features (bulk memory, reference types, …) from this section.
if (!found.some((section) => section.name === "target_features")) fail("no target_features section: run this before wasm-opt strips it");
const bodies = functionBodies(code);
const module = readModule(bytes, fail);
const defined = [];
for (let i = 0; i < module.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
  if (!info.module) defined.push(info);
}
if (defined.length !== bodies.length) fail(`${defined.length} functions but ${bodies.length} bodies`);
if (defined.length === 0) fail("no functions");
const order = chain(bodies.map(grams));
// Bodies are allocated in the module's arena, so they outlive their removed functions.
for (const f of defined) module.removeFunction(f.name);
for (const k of order) {
  const f = defined[k];
  module.addFunction(f.name, f.params, f.results, f.vars, f.body);
}
if (!module.validate()) fail("the reordered module does not validate");
writeModule(module, path);
console.log(`order-functions: ${order.length} functions ordered`);

// The build's post-processing of wasm-bindgen's output (scripts/build-wasm.sh): each step
// checks its assumptions and refuses, changing nothing, when they do not hold.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import binaryen from "../../node_modules/binaryen/index.js";

const root = new URL("../..", import.meta.url).pathname;
let bound; // wasm-bindgen's output for the release wasm `make pkg` built

before(() => {
  bound = mkdtempSync(join(tmpdir(), "apikeys-bound-"));
  const wasm = join(root, "target/wasm32-unknown-unknown/release/apikeys.wasm");
  execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", bound, "--out-name", "apikeys", wasm]);
});

/** A scratch copy of wasm-bindgen's output. */
function copy() {
  const dir = mkdtempSync(join(tmpdir(), "apikeys-post-"));
  cpSync(bound, dir, { recursive: true });
  return dir;
}

function run(script, dir) {
  return spawnSync("node", [join(root, "scripts", script), dir], { encoding: "utf8" });
}

const tableEntries = (wasmPath) => {
  const module = binaryen.readBinary(readFileSync(wasmPath));
  return binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(0)).data;
};
const isShim = (name) => /^wasm_bindgen(\[\w+\])?::convert::closures::/.test(name);

test("drop-closure-shims empties the closure shims' table slots and keeps every other slot", () => {
  const dir = copy();
  const before = tableEntries(join(dir, "apikeys_bg.wasm"));
  assert.ok(before.some(isShim), "wasm-bindgen's output has closure shims in the table");
  const result = run("drop-closure-shims.mjs", dir);
  assert.equal(result.status, 0, result.stderr);
  const after = tableEntries(join(dir, "apikeys_bg.wasm"));
  assert.equal(after.length, before.length, "table indices are function pointers: none may move");
  after.forEach((name, i) => assert.equal(name, isShim(before[i]) ? "dropped_closure_shim" : before[i]));
  const module = binaryen.readBinary(readFileSync(join(dir, "apikeys_bg.wasm")));
  module.setFeatures(binaryen.Features.All);
  assert.ok(module.validate(), "the module still validates");
});

test("drop-closure-shims refuses glue that can hand closures to JS", () => {
  const dir = copy();
  const wasm = readFileSync(join(dir, "apikeys_bg.wasm"));
  writeFileSync(join(dir, "apikeys.js"), readFileSync(join(dir, "apikeys.js"), "utf8") + "\nfunction makeMutClosure() {}\n");
  const result = run("drop-closure-shims.mjs", dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /supports closures, .*; nothing changed/);
  assert.deepEqual(readFileSync(join(dir, "apikeys_bg.wasm")), wasm);
});

test("drop-closure-shims refuses a wasm without names (it could not tell the shims)", () => {
  const dir = copy();
  cpSync(join(root, "pkg/apikeys_bg.wasm"), join(dir, "apikeys_bg.wasm"));
  const result = run("drop-closure-shims.mjs", dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no closure shim found/);
});

test("shorten-imports refuses glue that does not name an import exactly once", () => {
  const dir = copy();
  const glue = readFileSync(join(dir, "apikeys.js"), "utf8");
  const [, name] = glue.match(/^\s+(__wbg_\w+):/m);
  writeFileSync(join(dir, "apikeys.js"), glue.replace(`${name}:`, `${name}_renamed:`));
  const wasm = readFileSync(join(dir, "apikeys_bg.wasm"));
  const result = run("shorten-imports.mjs", dir);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, new RegExp(`expected ${name} once in the glue, found it 0 times`));
  assert.deepEqual(readFileSync(join(dir, "apikeys_bg.wasm")), wasm);
});

/** Each defined function of `wasm`, by name, as text after binaryen wrote and read it once. */
function functionTexts(wasm, roundTrip = true) {
  if (roundTrip) {
    binaryen.setDebugInfo(true);
    return functionTexts(binaryen.readBinary(wasm).emitBinary(), false);
  }
  const module = binaryen.readBinary(wasm);
  const texts = new Map();
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) texts.set(info.name, `${info.params} ${info.results} ${info.vars} ${binaryen.emitText(info.body)}`);
  }
  return texts;
}

test("order-functions moves functions without changing any, and the package gzips smaller for it", () => {
  const dir = copy();
  const path = join(dir, "apikeys_bg.wasm");
  const before = functionTexts(readFileSync(path));
  const gzipBefore = gzipSync(readFileSync(path), { level: 9 }).length;
  const result = spawnSync("node", [join(root, "scripts/order-functions.mjs"), path], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const after = functionTexts(readFileSync(path), false);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), "the same functions");
  for (const [name, text] of before) assert.equal(after.get(name), text, `${name} is unchanged`);
  assert.notDeepEqual([...after.keys()], [...before.keys()], "the order changed");
  assert.ok(gzipSync(readFileSync(path), { level: 9 }).length < gzipBefore, "gzip gains from the order");
});

test("order-functions refuses a file with no functions, changing nothing", () => {
  const dir = copy();
  const path = join(dir, "empty.wasm");
  const empty = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
  writeFileSync(path, empty);
  const result = spawnSync("node", [join(root, "scripts/order-functions.mjs"), path], { encoding: "utf8" });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no code section; nothing changed/);
  assert.deepEqual(new Uint8Array(readFileSync(path)), empty);
});

// The build's post-processing of wasm-bindgen's output (scripts/build-wasm.sh): each step
// checks its assumptions and refuses, changing nothing, when they do not hold.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "../../node_modules/binaryen/index.js";
import { gzippedSize } from "./support/gzip.mjs";

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

/** The names of `wasm`'s exports. */
const exportNames = (wasmPath) => [...WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmPath)))].map((e) => e.name);

test("shorten-imports renames the exports the glue calls, in both files, keeps memory, and refuses another use of their names", () => {
  const dir = copy();
  const glue = readFileSync(join(dir, "apikeys.js"), "utf8");
  const before = exportNames(join(dir, "apikeys_bg.wasm"));
  assert.ok(before.includes("apikeys_listActive") && before.includes("memory"));
  const result = run("shorten-imports.mjs", dir);
  assert.equal(result.status, 0, result.stderr);
  const after = exportNames(join(dir, "apikeys_bg.wasm"));
  const shortened = readFileSync(join(dir, "apikeys.js"), "utf8");
  assert.equal(after.length, before.length);
  assert.ok(after.includes("memory"));
  for (const name of before.filter((name) => glue.includes(`wasm.${name}`) && name !== "memory")) {
    assert.equal(after.includes(name), false, name);
    assert.equal(shortened.includes(name), false, name);
  }
  const called = new Set(shortened.match(/(?<![\w$.])wasm\.[\w$]+/g).map((use) => use.slice(5)));
  for (const name of called) assert.ok(after.includes(name), `the glue calls ${name}, an export`);

  const other = copy();
  const wasm = readFileSync(join(other, "apikeys_bg.wasm"));
  writeFileSync(join(other, "apikeys.js"), `${glue}\nconst sneaky = instance.exports["apikeys_listActive"];\n`);
  const refused = run("shorten-imports.mjs", other);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /the glue names the export apikeys_listActive other than as wasm\.apikeys_listActive/);
  assert.deepEqual(readFileSync(join(other, "apikeys_bg.wasm")), wasm);
});

/** The module names `wasm` imports from. */
const importModules = (wasmPath) => new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module));

test("shorten-imports hands the wasm only the runtime.js functions it imports, under a short module name", () => {
  const dir = copy();
  const result = run("shorten-imports.mjs", dir);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual([...importModules(join(dir, "apikeys_bg.wasm"))].sort(), ["s0", "w"]);
  const glue = readFileSync(join(dir, "apikeys.js"), "utf8");
  assert.equal(/^import \* as/m.test(glue), false, "no namespace import left for a bundler to keep whole");
  assert.match(glue, /^import \{ keyIterator as import\d+_keyIterator \} from "\.\/snippets\/[^"]+\/runtime\.js";?$/m);
  assert.match(glue, /^\s+"s0": \{ keyIterator: import\d+_keyIterator \},$/m);

  const other = copy();
  const original = readFileSync(join(other, "apikeys.js"), "utf8");
  const namespace = original.match(/^import \* as (import\d+) from "\.\/snippets\//m)[1];
  writeFileSync(join(other, "apikeys.js"), `${original}\nconst sneaky = ${namespace}.buildKeys;\n`);
  const wasm = readFileSync(join(other, "apikeys_bg.wasm"));
  const refused = run("shorten-imports.mjs", other);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, new RegExp(`the glue uses the namespace ${namespace} of .*runtime\\.js otherwise`));
  assert.deepEqual(readFileSync(join(other, "apikeys_bg.wasm")), wasm);

  // A second direct import from runtime.js (src/js/runtime.rs allows one) gives the module a second namespace.
  const line = original.match(/^import \* as import\d+ (from "\.\/snippets\/[^"]+");?$/m);
  writeFileSync(join(other, "apikeys.js"), original.replace(line[0], `${line[0]}\nimport * as import99 ${line[1]};`));
  const twice = run("shorten-imports.mjs", other);
  assert.notEqual(twice.status, 0);
  assert.match(twice.stderr, /as one namespace, found 2/);
  assert.deepEqual(readFileSync(join(other, "apikeys_bg.wasm")), wasm);
});

/** Runs `script` on a scratch copy of the glue: the copy's directory, its glue before and after. */
function runOnCopy(script) {
  const dir = copy();
  const glue = readFileSync(join(dir, "apikeys.js"), "utf8");
  const result = run(script, dir);
  assert.equal(result.status, 0, result.stderr);
  return { dir, glue, after: readFileSync(join(dir, "apikeys.js"), "utf8") };
}

/** `script` refuses each of the `broken` variants of `glue`, saying `message`, and leaves it as it was. */
function assertRefusesEach(script, dir, glue, broken, message) {
  const path = join(dir, "apikeys.js");
  for (const text of broken) {
    assert.notEqual(text, glue, "the test changed the glue");
    writeFileSync(path, text);
    const refused = run(script, dir);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, message);
    assert.equal(readFileSync(path, "utf8"), text, "nothing changed");
  }
}

test("trim-glue drops the glue's paths the package never takes, and refuses glue it does not recognise", () => {
  const { dir, glue, after: trimmed } = runOnCopy("trim-glue.mjs");
  for (const gone of ["using deprecated parameters", "new URL('apikeys_bg.wasm'", "realloc === undefined", "Flight.prototype[Symbol.dispose]", "KeyPager.prototype[Symbol.dispose]"]) {
    assert.ok(glue.includes(gone), `wasm-bindgen's glue has ${gone}`);
    assert.equal(trimmed.includes(gone), false, gone);
  }
  assert.ok(trimmed.includes("ApiKeys.prototype[Symbol.dispose]"), "the public class stays disposable");
  writeFileSync(join(dir, "check.mjs"), trimmed);
  const check = spawnSync("node", ["--check", join(dir, "check.mjs")], { encoding: "utf8" });
  assert.equal(check.status, 0, check.stderr);

  const broken = [
    glue.replace("using deprecated parameters for `initSync()`", "using old parameters for `initSync()`"),
    glue.replace(/passStringToWasm0\((\w+), wasm\.__wbindgen_malloc, wasm\.__wbindgen_realloc\)/, "passStringToWasm0($1, wasm.__wbindgen_malloc)"),
    glue.replace(/\nif \(Symbol\.dispose\) KeyPager\.prototype\[Symbol\.dispose\] = KeyPager\.prototype\.free;\n/, "\n"),
  ];
  assertRefusesEach("trim-glue.mjs", dir, glue, broken, /^trim-glue: .*; nothing changed/);
});

test("guard-client moves the ApiKeys handle off the object, and refuses a class it does not recognise", () => {
  const { dir, glue, after: guarded } = runOnCopy("guard-client.mjs");
  const apiKeys = guarded.slice(guarded.indexOf("export class ApiKeys {"), guarded.indexOf("\n}\n", guarded.indexOf("export class ApiKeys {")));
  assert.equal(apiKeys.includes("__wbg_ptr"), false, "no handle on the object");
  assert.match(apiKeys, /clientHandles\.set\(this, /);
  assert.match(apiKeys, /if \(ptr !== 0\) wasm\.__wbg_apikeys_free\(ptr, 0\);/);
  assert.ok(guarded.includes("this.__wbg_ptr"), "the other classes are left as they are");
  const broken = [
    glue.replace("export class ApiKeys {", "export class Keys {"),
    glue.replace("wasm.__wbg_apikeys_free(ptr, 0);", "wasm.__wbg_apikeys_free(ptr);"),
    glue.replace(/(export class ApiKeys \{[^]*?)this\.__wbg_ptr = 0;/, "$1this.__wbg_ptr = null;"),
  ];
  assertRefusesEach("guard-client.mjs", dir, glue, broken, /^guard-client: expected .*; nothing changed/);
});

test("public-types keeps ApiKeys and the hand-written types, cuts the internals, and refuses another shape", () => {
  const dir = copy();
  const from = join(dir, "apikeys.d.ts");
  const to = join(dir, "public.d.ts");
  const types = readFileSync(from, "utf8");
  const runOn = () => spawnSync("node", [join(root, "scripts/public-types.mjs"), from, to], { encoding: "utf8" });
  const result = runOn();
  assert.equal(result.status, 0, result.stderr);
  const kept = readFileSync(to, "utf8");
  for (const name of ["export class ApiKeys ", "export type ApiKeysOptions", "export type FetchLike", "[Symbol.dispose](): void;", "readonly dispose: unique symbol;", "readonly asyncDispose: unique symbol;"]) {
    assert.ok(kept.includes(name), name);
  }
  for (const name of ["Flight", "KeyPager", "InitInput", "initSync", "WebAssembly", "BufferSource"]) assert.equal(kept.includes(name), false, name);
  for (const broken of [types.replace("export class Flight ", "export class Flying "), types.replace("export class ApiKeys ", "export class Keys ")]) {
    writeFileSync(from, broken);
    writeFileSync(to, "before");
    const refused = runOn();
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /^public-types: /);
    assert.equal(readFileSync(to, "utf8"), "before", "nothing written");
  }
});

/** Each defined function of `module`, by name, as text. */
function functionTexts(module) {
  const texts = new Map();
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) texts.set(info.name, `${info.params} ${info.results} ${info.vars} ${binaryen.emitText(info.body)}`);
  }
  return texts;
}

/** What the functions are reached by: the exports and the table. */
function entryPoints(module) {
  const exports = [];
  for (let i = 0; i < module.getNumExports(); i++) exports.push(binaryen.getExportInfo(module.getExportByIndex(i)));
  return { exports, table: binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(0)).data };
}

const wasmOpt = (args) => execFileSync(join(root, "node_modules/.bin/wasm-opt"), args);
const orderFunctions = (path) => spawnSync("node", [join(root, "scripts/order-functions.mjs"), path], { encoding: "utf8" });
const gzipped = (path) => gzippedSize([path]);

let firstPassDone; // made once: wasm-opt's first pass takes seconds
/** A copy of the build's input to order-functions (wasm-opt's first pass), names kept for the checks. */
function firstPass() {
  const dir = copy();
  const path = join(dir, "first.wasm");
  if (firstPassDone === undefined) {
    firstPassDone = join(mkdtempSync(join(tmpdir(), "apikeys-first-")), "first.wasm");
    wasmOpt(["-g", "-Oz", "--converge", join(dir, "apikeys_bg.wasm"), "-o", firstPassDone]);
  }
  cpSync(firstPassDone, path);
  return { dir, path };
}

test("order-functions moves functions without changing any, and the wasm gzips smaller for it", () => {
  const { dir, path } = firstPass();
  binaryen.setDebugInfo(true);
  // The same round trip through binaryen on both sides (it adds scratch locals of its own).
  const before = binaryen.readBinary(binaryen.readBinary(readFileSync(path)).emitBinary());
  const ordered = join(dir, "ordered.wasm");
  cpSync(path, ordered);
  const result = orderFunctions(ordered);
  assert.equal(result.status, 0, result.stderr);
  const after = binaryen.readBinary(readFileSync(ordered));
  const [textsBefore, textsAfter] = [functionTexts(before), functionTexts(after)];
  assert.deepEqual([...textsAfter.keys()].sort(), [...textsBefore.keys()].sort(), "the same functions");
  for (const [name, text] of textsBefore) assert.equal(textsAfter.get(name), text, `${name} is unchanged`);
  assert.notDeepEqual([...textsAfter.keys()], [...textsBefore.keys()], "the order changed");
  assert.deepEqual(entryPoints(after), entryPoints(before), "the same exports and table");
  // The build's second pass, with and without the order.
  wasmOpt(["-Oz", path, "-o", join(dir, "plain.wasm")]);
  wasmOpt(["-Oz", ordered, "-o", join(dir, "final.wasm")]);
  assert.ok(gzipped(join(dir, "final.wasm")) < gzipped(join(dir, "plain.wasm")), "gzip gains from the order");
});

test("order-functions refuses what it cannot order, changing nothing", () => {
  const { dir, path } = firstPass();
  const empty = join(dir, "empty.wasm");
  writeFileSync(empty, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  const text = join(dir, "apikeys.js");
  const featureless = join(dir, "featureless.wasm");
  wasmOpt(["--strip-target-features", path, "-o", featureless]);
  const cases = [
    [empty, /no code section/],
    [text, /not a wasm module/],
    [featureless, /no target_features section: run this before wasm-opt strips it/],
  ];
  for (const [file, reason] of cases) assertRefused(orderFunctions, file, reason);
});

/** `script` run on `file` fails, saying `reason`, and leaves the file as it was. */
function assertRefused(script, file, reason) {
  const original = readFileSync(file);
  const result = script(file);
  assert.equal(result.status, 1, file);
  assert.match(result.stderr, reason);
  assert.match(result.stderr, /; nothing changed/);
  assert.deepEqual(readFileSync(file), original, `${file} is unchanged`);
}

const trapAtOnce = (path) => spawnSync("node", [join(root, "scripts/trap-at-once.mjs"), path], { encoding: "utf8" });
const TRAP = "(unreachable)\n";

/** The functions of `shapes()` that do not surely trap, or do more than write before they do. */
const KEPT = ["helper", "logs_first", "calls_first", "operand_calls", "branches", "returns", "loops", "stores_a_call",
  "stores_at_a_call", "sets_a_global_to_a_call", "tees_a_call", "loads_at_a_call", "negates_a_call", "adds_a_call", "recurses", "ping", "pong"];

/** A module with a function of each shape trap-at-once must tell apart, by name. */
function shapes() {
  const m = new binaryen.Module();
  const { i32, none } = binaryen;
  m.setMemory(1, 1);
  m.addGlobal("sp", i32, true, m.i32.const(1024));
  m.addFunctionImport("log", "env", "log", none, none);
  const spill = (value) => m.i32.store(8, 4, m.global.get("sp", i32), value);
  m.addFunction("handler", none, none, [], m.unreachable());
  m.addFunction("entry", binaryen.createType([i32, i32]), none, [], m.block(null, [
    m.global.set("sp", m.i32.sub(m.global.get("sp", i32), m.i32.const(16))),
    spill(m.local.get(0, i32)),
    spill(m.i32.add(m.local.get(1, i32), m.i32.load(0, 4, m.local.get(0, i32)))),
    m.call("handler", [], none),
    m.unreachable(),
  ]));
  m.addFunction("chained", none, none, [], m.call("entry", [m.i32.const(1), m.i32.const(2)], none));
  m.addFunction("helper", none, i32, [], m.i32.const(7));
  m.addFunction("logs_first", none, none, [], m.block(null, [m.call("log", [], none), m.unreachable()]));
  m.addFunction("calls_first", none, none, [], m.block(null, [m.drop(m.call("helper", [], i32)), m.unreachable()]));
  m.addFunction("operand_calls", none, none, [], m.call("entry", [m.call("helper", [], i32), m.i32.const(2)], none));
  m.addFunction("branches", binaryen.createType([i32]), none, [], m.if(m.local.get(0, i32), m.unreachable()));
  m.addFunction("returns", none, none, [], m.block(null, [spill(m.i32.const(1)), m.return()]));
  m.addFunction("loops", none, none, [], m.block(null, [m.loop("again", m.br("again")), m.unreachable()]));
  // A call hidden in what a write or an operand computes.
  const helper = () => m.call("helper", [], i32);
  const trapsAfter = (write) => m.block(null, [write, m.unreachable()]);
  const entryWith = (value) => m.call("entry", [value, m.i32.const(0)], none);
  const hidden = {
    stores_a_call: trapsAfter(spill(helper())),
    stores_at_a_call: trapsAfter(m.i32.store(0, 4, helper(), m.i32.const(1))),
    sets_a_global_to_a_call: trapsAfter(m.global.set("sp", helper())),
    tees_a_call: trapsAfter(m.drop(m.local.tee(0, helper(), i32))),
    loads_at_a_call: entryWith(m.i32.load(0, 4, helper())),
    negates_a_call: entryWith(m.i32.eqz(helper())),
    adds_a_call: entryWith(m.i32.add(m.i32.const(1), helper())),
  };
  for (const [name, body] of Object.entries(hidden)) m.addFunction(name, none, none, [i32], body);
  // Calls that never reach a trap: itself, or two functions each other.
  m.addFunction("recurses", none, none, [], m.block(null, [spill(m.i32.const(1)), m.call("recurses", [], none), m.unreachable()]));
  m.addFunction("ping", none, none, [], m.block(null, [m.call("pong", [], none), m.unreachable()]));
  m.addFunction("pong", none, none, [], m.block(null, [m.call("ping", [], none), m.unreachable()]));
  for (const name of [...KEPT, "entry", "chained"]) m.addFunctionExport(name, name);
  assert.ok(m.validate());
  return m;
}

test("trap-at-once empties the functions that only write before they trap, and no other", () => {
  const path = join(mkdtempSync(join(tmpdir(), "apikeys-trap-")), "shapes.wasm");
  binaryen.setDebugInfo(true); // names kept in the file
  writeFileSync(path, shapes().emitBinary());
  const before = binaryen.readBinary(readFileSync(path)); // as binaryen reads names back
  const result = trapAtOnce(path);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /3 functions trap at once/);
  const after = binaryen.readBinary(readFileSync(path));
  const [textsBefore, textsAfter] = [functionTexts(before), functionTexts(after)];
  for (const name of ["handler", "entry", "chained"]) assert.equal(textsAfter.get(name).endsWith(TRAP) && !textsAfter.get(name).includes("call"), true, `${name} traps at once`);
  for (const name of KEPT) assert.equal(textsAfter.get(name), textsBefore.get(name), `${name} is unchanged`);
  assert.deepEqual(entryPointsOf(after), entryPointsOf(before), "the same exports");
});

test("trap-at-once on the build: the panic entries trap at once, every other function and entry point unchanged", () => {
  const dir = copy();
  const path = join(dir, "apikeys_bg.wasm");
  assert.equal(run("drop-closure-shims.mjs", dir).status, 0, "the build's step before it");
  binaryen.setDebugInfo(true);
  // The same round trip through binaryen on both sides (it adds scratch locals of its own).
  const before = binaryen.readBinary(binaryen.readBinary(readFileSync(path)).emitBinary());
  const result = trapAtOnce(path);
  assert.equal(result.status, 0, result.stderr);
  const after = binaryen.readBinary(readFileSync(path));
  const [textsBefore, textsAfter] = [functionTexts(before), functionTexts(after)];
  assert.deepEqual([...textsAfter.keys()], [...textsBefore.keys()], "the same functions");
  const emptied = [...textsAfter].filter(([name, text]) => text !== textsBefore.get(name)).map(([name]) => name);
  for (const name of emptied) assert.ok(textsAfter.get(name).endsWith(` ${TRAP}`), `${name} changed only to trap`);
  for (const entry of ["panicking::panic_bounds_check", "panicking::panic_fmt", "result::unwrap_failed"]) {
    assert.ok(emptied.some((name) => name.includes(entry)), `${entry} traps at once`);
  }
  assert.ok(!emptied.some((name) => /^apikeys|wasm_bindgen::__wbindgen_throw|__wbg_/.test(name)), `no function of ours or of the glue's: ${emptied}`);
  assert.deepEqual(entryPoints(after), entryPoints(before), "the same exports and table");
});

test("trap-at-once refuses what it cannot read or finds nothing in, changing nothing", () => {
  const dir = copy();
  const empty = join(dir, "empty.wasm");
  writeFileSync(empty, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  assertRefused(trapAtOnce, join(dir, "apikeys.js"), /not a wasm module/);
  assertRefused(trapAtOnce, empty, /no function traps at once/);
});

/** The exports of `module` (it may have no table). */
function entryPointsOf(module) {
  const exports = [];
  for (let i = 0; i < module.getNumExports(); i++) exports.push(binaryen.getExportInfo(module.getExportByIndex(i)));
  return exports;
}

test("the release profile lets the sandbox unwind, so that a panic is a 500 and not the end of the process", () => {
  // `panic = "abort"` applies to every crate of the workspace; the wasm target aborts anyway.
  const manifest = readFileSync(join(root, "Cargo.toml"), "utf8");
  const release = manifest.split(/^\[/m).find((section) => section.startsWith("profile.release]"));
  assert.ok(release, "Cargo.toml has a [profile.release]");
  assert.doesNotMatch(release, /^\s*panic\s*=/m);
});

// Drops wasm-bindgen's closure invoke shims from the function table, before wasm-opt.
// wasm-bindgen describes each closure type of every import it binds (js-sys's futures among
// them) by taking the address of its `invoke` shim; the descriptions go, the table entries
// stay, and wasm-opt must keep a function the table holds (about 0.75 KB gzipped).
// The library passes no closure to JS, so nothing can call them: the script checks that the
// glue has no closure support and that JS cannot reach the table (not exported), and fails,
// writing nothing, otherwise. The entries become a function that traps.
// Usage: node scripts/drop-closure-shims.mjs <dir> (holding apikeys_bg.wasm and apikeys.js).
import binaryen from "../node_modules/binaryen/index.js";
import { readFileSync, writeFileSync } from "node:fs";

const dir = process.argv[2];
const wasmPath = `${dir}/apikeys_bg.wasm`;
const glue = readFileSync(`${dir}/apikeys.js`, "utf8");
// Legacy-mangled (`…::invoke::h<hash>`) or v0-mangled (`wasm_bindgen[<hash>]::…::invoke::<…>`, -Zbuild-std).
const isShim = (name) => /^wasm_bindgen(\[[0-9a-f]+\])?::convert::closures::_::invoke(::|$)/.test(name);

function fail(message) {
  console.error(`drop-closure-shims: ${message}; nothing changed`);
  process.exit(1);
}

if (/closure/i.test(glue)) fail("the glue supports closures, which call the shims through the table");
const module = binaryen.readBinary(readFileSync(wasmPath));
if (module.getNumElementSegments() !== 1) fail("expected one element segment");
const segment = binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(0));
for (let i = 0; i < module.getNumExports(); i++) {
  const exported = binaryen.getExportInfo(module.getExportByIndex(i));
  if (exported.kind === binaryen.ExternalTable && exported.value === segment.table) fail("the function table is exported");
}
const offset = binaryen.getExpressionInfo(segment.offset);
if (offset.id !== binaryen.ConstId) fail("the element segment's offset is not a constant");
const shims = segment.data.filter(isShim).length;
if (shims === 0) fail("no closure shim found (names missing?)");

module.addFunction("dropped_closure_shim", binaryen.none, binaryen.none, [], module.unreachable());
module.removeElementSegment(segment.name);
const entries = segment.data.map((name) => (isShim(name) ? "dropped_closure_shim" : name));
module.addActiveElementSegment(segment.table, segment.name, entries, module.i32.const(offset.value));
binaryen.setDebugInfo(true); // keeps the names for wasm-opt -g and for checking
writeFileSync(wasmPath, module.emitBinary());
console.log(`drop-closure-shims: ${shims} of ${entries.length} table entries dropped`);

// Panic paths trap at once. The release wasm is `no_std` and its panic handler is `unreachable`
// (src/lib.rs), yet each panic entry (a bounds check's, `unwrap`'s, `RefCell`'s, `panic_fmt`)
// first writes its message's arguments to the stack for that handler, which never reads them,
// and every caller computes them (the addresses of message templates and source locations).
// A function that, on its one path, only writes to memory, globals and locals before it traps
// (`unreachable`, or a call of such a function with operands that call nothing) traps at the
// same call without those writes: its body becomes `unreachable`, and wasm-opt then drops
// what its callers computed for it (about 0.7 KB gzipped). A branch, loop, return or any
// other call keeps the function as it is. Run after wasm-bindgen, before wasm-opt.
// Usage: node scripts/trap-at-once.mjs <file.wasm> (rewritten in place).
import binaryen from "../node_modules/binaryen/index.js";
import { readModule, readWasm, refusal, writeModule } from "./wasm-file.mjs";

const fail = refusal("trap-at-once");
const path = process.argv[2];
const module = readModule(readWasm(path, "trap-at-once", fail), fail);

const B = binaryen;
/** The expressions read here; binaryen.js describes only some kinds, and others stop the walk. */
const READ = new Set([B.BlockId, B.UnreachableId, B.NopId, B.CallId, B.StoreId, B.GlobalSetId, B.LocalSetId, B.DropId,
  B.ConstId, B.LocalGetId, B.GlobalGetId, B.LoadId, B.UnaryId, B.BinaryId]);
const OTHER = { id: -1 };
function describe(expression) {
  const id = binaryen.getExpressionId(expression);
  if (!READ.has(id)) return OTHER;
  if (id === B.UnreachableId || id === B.NopId) return { id };
  return binaryen.getExpressionInfo(expression);
}

/** Whether `expression` computes a value without calling, branching or writing memory (a trap is fine). */
function callsNothing(expression) {
  const e = describe(expression);
  switch (e.id) {
    case B.ConstId: case B.LocalGetId: case B.GlobalGetId: return true;
    case B.LocalSetId: return callsNothing(e.value);
    case B.LoadId: return callsNothing(e.ptr);
    case B.UnaryId: return callsNothing(e.value);
    case B.BinaryId: return callsNothing(e.left) && callsNothing(e.right);
    default: return false;
  }
}

/** The body's statements in order (binaryen merges nested plain blocks when it reads a file). */
function statements(body) {
  const e = describe(body);
  return e.id === B.BlockId ? e.children : [body];
}

/** Whether `body` reaches a trap on its one path, writing only memory, globals and locals before it. */
function trapsAtOnce(body, trapping) {
  for (const statement of statements(body)) {
    const e = describe(statement);
    switch (e.id) {
      case B.UnreachableId: return true;
      case B.CallId: return trapping.has(e.target) && e.operands.every(callsNothing);
      case B.StoreId: if (callsNothing(e.ptr) && callsNothing(e.value)) continue; return false;
      case B.GlobalSetId: case B.LocalSetId: case B.DropId: if (callsNothing(e.value)) continue; return false;
      case B.NopId: continue;
      default: return false;
    }
  }
  return false; // it returns
}

const defined = [];
for (let i = 0; i < module.getNumFunctions(); i++) {
  const f = module.getFunctionByIndex(i);
  const info = binaryen.getFunctionInfo(f);
  if (!info.module) defined.push({ ref: f, ...info });
}
const trapping = new Set();
for (let grew = true; grew; ) {
  grew = false;
  for (const f of defined) {
    if (!trapping.has(f.name) && trapsAtOnce(f.body, trapping)) {
      trapping.add(f.name);
      grew = true;
    }
  }
}
// The panic handler itself is one: finding none means the build is not what this expects.
if (trapping.size === 0) fail("no function traps at once (not the release build's wasm?)");
for (const f of defined) if (trapping.has(f.name)) binaryen.Function.setBody(f.ref, module.unreachable());
if (!module.validate()) fail("the changed module does not validate");
writeModule(module, path);
console.log(`trap-at-once: ${trapping.size} functions trap at once`);

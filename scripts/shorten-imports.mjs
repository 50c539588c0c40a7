// Renames the wasm's imports to short names, in the wasm and in wasm-bindgen's JS glue alike.
// wasm-bindgen names each glue import `__wbg_<name>_<16 hex digits>` in a module "./apikeys_bg.js";
// the hashes do not compress, and both files carry them (about 2 KB of the gzipped package).
// The exports the glue calls (`apikeys_listActive`, `__externref_table_alloc`, …: 0.4 KB of the
// gzipped wasm, 0.1 KB of the glue) are renamed too, where the glue reaches them only as
// `wasm.<name>`; `memory` keeps its name (what `init` returns is the exports: a caller may read
// `memory`), and so does an export the glue does not name (wasm-bindgen's `__abort_handler`).
// A snippet's module (runtime.js, `./snippets/<crate>-<hash>/src/js/runtime.js`) gets a short
// name too (`s0`, …), and the glue hands the wasm an object of just the functions it imports
// from there instead of the snippet's whole namespace (`import * as`): a bundler must keep a
// namespace object with a getter per export, 0.24 KB of the gzipped bundle.
// Runs after guard-client.mjs, which finds `wasm.__wbg_apikeys_free` by name.
// Usage: node scripts/shorten-imports.mjs <dir> (holding apikeys_bg.wasm and apikeys.js).
// Fails, changing nothing, if the glue does not hold each import exactly once as expected,
// names an export other than as `wasm.<name>`, or imports a snippet other than by one namespace
// import that only the import object uses.
import { readFileSync, writeFileSync } from "node:fs";
import { leb, readLeb } from "./leb128.mjs";

const MODULE = "./apikeys_bg.js";
const SHORT_MODULE = "w";
const dir = process.argv[2];
const wasmPath = `${dir}/apikeys_bg.wasm`;
const jsPath = `${dir}/apikeys.js`;
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const name = (text) => [...leb(encoder.encode(text).length), ...encoder.encode(text)];

/** The offset after an import's description (`kind` at `at`). */
function skipDescription(bytes, at) {
  const kind = bytes[at];
  const limits = (from) => {
    const flags = bytes[from];
    let end = readLeb(bytes, from + 1)[1];
    if (flags & 1) end = readLeb(bytes, end)[1];
    return end;
  };
  if (kind === 0) return readLeb(bytes, at + 1)[1]; // function: type index
  if (kind === 1) return limits(at + 2); // table: element type, limits
  if (kind === 2) return limits(at + 1); // memory: limits
  if (kind === 3) return at + 3; // global: value type, mutability
  throw new Error(`import of unknown kind ${kind}`);
}

/** `a`, `b`, …, `Z`, `aa`, …: valid JS property names. */
function shortName(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let text = "";
  do {
    text = letters[index % letters.length] + text;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return text;
}

/** The name (a length, then UTF-8) at `at` in `bytes`, and where it ends. */
function readName(bytes, at) {
  const [length, textAt] = readLeb(bytes, at);
  return [decoder.decode(bytes.subarray(textAt, textAt + length)), textAt + length];
}

/**
 * The import section with short names; the renames of the glue's imports made, and per
 * snippet module its short name and the names imported from it.
 */
function shortenImportSection(bytes, start) {
  const renames = new Map();
  const snippets = new Map();
  let [count, at] = readLeb(bytes, start);
  const out = [...leb(count)];
  for (let i = 0; i < count; i++) {
    const [module, nameAt] = readName(bytes, at);
    const [original, descriptionAt] = readName(bytes, nameAt);
    at = skipDescription(bytes, descriptionAt);
    if (module !== MODULE) {
      // An export of a snippet (runtime.js): its module renamed, the function keeps its name.
      if (!snippets.has(module)) snippets.set(module, { short: `s${snippets.size}`, names: new Set() });
      const snippet = snippets.get(module);
      snippet.names.add(original);
      out.push(...name(snippet.short), ...bytes.subarray(nameAt, at));
      continue;
    }
    if (!renames.has(original)) renames.set(original, shortName(renames.size));
    out.push(...name(SHORT_MODULE), ...name(renames.get(original)), ...bytes.subarray(descriptionAt, at));
  }
  return [out, renames, snippets];
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** How often `name` stands alone in the glue: in all, and as `wasm.<name>`. */
const uses = (name) => [
  js.match(new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g"))?.length ?? 0,
  js.match(new RegExp(`(?<![\\w$.])wasm\\.${escape(name)}(?![\\w$])`, "g"))?.length ?? 0,
];

/** The export section with short names for what the glue calls, and the renames made. */
function shortenExportSection(bytes, start) {
  const renames = new Map();
  let [count, at] = readLeb(bytes, start);
  const out = [...leb(count)];
  for (let i = 0; i < count; i++) {
    const [original, descriptionAt] = readName(bytes, at);
    at = readLeb(bytes, descriptionAt + 1)[1]; // kind, index
    const [all, asExport] = uses(original);
    if (original !== "memory" && asExport > 0) {
      if (all !== asExport) throw new Error(`the glue names the export ${original} other than as wasm.${original}`);
      renames.set(original, shortName(renames.size));
    }
    out.push(...name(renames.get(original) ?? original), ...bytes.subarray(descriptionAt, at));
  }
  return [out, renames];
}

const sections = [wasm.subarray(0, 8)];
let renames = null;
let snippets = null;
let exportRenames = null;
for (let at = 8; at < wasm.length; ) {
  const [size, contentAt] = readLeb(wasm, at + 1);
  const end = contentAt + size;
  if (wasm[at] === 2 || wasm[at] === 7) {
    let content;
    if (wasm[at] === 2) [content, renames, snippets] = shortenImportSection(wasm, contentAt);
    else [content, exportRenames] = shortenExportSection(wasm, contentAt);
    sections.push(Uint8Array.from([wasm[at], ...leb(content.length), ...content]));
  } else sections.push(wasm.subarray(at, end));
  at = end;
}
if (renames === null) throw new Error("the wasm has no import section");
if (exportRenames === null) throw new Error("the wasm has no export section");

/** Replaces `from` by `to` where `pattern` (built from `from`) matches exactly once. */
function replaceOnce(from, to, pattern) {
  const matches = js.match(new RegExp(pattern, "gm")) ?? [];
  if (matches.length !== 1) throw new Error(`expected ${from} once in the glue, found it ${matches.length} times`);
  js = js.replace(new RegExp(pattern, "m"), (match) => match.replace(from, () => to));
}
for (const [original, short] of renames) replaceOnce(original, short, `^\\s+${escape(original)}:`);
replaceOnce(MODULE, SHORT_MODULE, `^\\s+"${escape(MODULE)}": import0,$`);
// Each snippet: its namespace import becomes an import of what the wasm takes from it (under
// names of the namespace's, so no other import of the glue can clash), handed over as an object.
for (const [module, { short, names }] of snippets) {
  const namespaces = [...js.matchAll(new RegExp(`^import \\* as (import\\d+) from "${escape(module)}";?$`, "gm"))];
  if (namespaces.length !== 1) throw new Error(`expected the glue to import ${module} as one namespace, found ${namespaces.length}`);
  const namespace = namespaces[0][1];
  const imported = [...names].map((original) => `${original} as ${namespace}_${original}`);
  replaceOnce(`* as ${namespace}`, `{ ${imported.join(", ")} }`, `^import \\* as ${namespace} from "${escape(module)}";?$`);
  const members = [...names].map((original) => `${original}: ${namespace}_${original}`);
  replaceOnce(`"${module}": ${namespace}`, `"${short}": { ${members.join(", ")} }`, `^\\s+"${escape(module)}": ${namespace},$`);
  const left = js.match(new RegExp(`(?<![\\w$])${namespace}(?![\\w$])`, "g"))?.length ?? 0;
  if (left > 0) throw new Error(`the glue uses the namespace ${namespace} of ${module} otherwise`);
}
// Short export names may equal words of the glue (`a`, `b`): only `wasm.<name>` is rewritten,
// in one pass, so that no renamed name is renamed again.
if (exportRenames.size > 0) {
  const pattern = new RegExp(`(?<![\\w$.])wasm\\.(${[...exportRenames.keys()].map(escape).join("|")})(?![\\w$])`, "g");
  js = js.replace(pattern, (_, original) => `wasm.${exportRenames.get(original)}`);
}

writeFileSync(wasmPath, Buffer.concat(sections.map((section) => Buffer.from(section))));
writeFileSync(jsPath, js);

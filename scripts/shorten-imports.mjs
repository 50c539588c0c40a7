// Renames the wasm's imports to short names, in the wasm and in wasm-bindgen's JS glue alike.
// wasm-bindgen names each glue import `__wbg_<name>_<16 hex digits>` in a module "./apikeys_bg.js";
// the hashes do not compress, and both files carry them (about 2 KB of the gzipped package).
// Usage: node scripts/shorten-imports.mjs <dir> (holding apikeys_bg.wasm and apikeys.js).
// Fails, changing nothing, if the glue does not hold each import exactly once as expected.
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

/** The import section with short names, and the renames made. */
function shortenImportSection(bytes, start) {
  const renames = new Map();
  let [count, at] = readLeb(bytes, start);
  const out = [...leb(count)];
  for (let i = 0; i < count; i++) {
    const [moduleLength, moduleAt] = readLeb(bytes, at);
    const module = decoder.decode(bytes.subarray(moduleAt, moduleAt + moduleLength));
    const [nameLength, nameAt] = readLeb(bytes, moduleAt + moduleLength);
    const original = decoder.decode(bytes.subarray(nameAt, nameAt + nameLength));
    const descriptionAt = nameAt + nameLength;
    at = skipDescription(bytes, descriptionAt);
    if (module !== MODULE) {
      // An export of a snippet (runtime.js), imported by its own name: kept.
      out.push(...bytes.subarray(moduleAt - leb(moduleLength).length, at));
      continue;
    }
    if (!renames.has(original)) renames.set(original, shortName(renames.size));
    out.push(...name(SHORT_MODULE), ...name(renames.get(original)), ...bytes.subarray(descriptionAt, at));
  }
  return [out, renames];
}

const sections = [wasm.subarray(0, 8)];
let renames = null;
for (let at = 8; at < wasm.length; ) {
  const [size, contentAt] = readLeb(wasm, at + 1);
  const end = contentAt + size;
  if (wasm[at] === 2) {
    let content;
    [content, renames] = shortenImportSection(wasm, contentAt);
    sections.push(Uint8Array.from([2, ...leb(content.length), ...content]));
  } else sections.push(wasm.subarray(at, end));
  at = end;
}
if (renames === null) throw new Error("the wasm has no import section");

/** Replaces `from` by `to` where `pattern` (built from `from`) matches exactly once. */
function replaceOnce(from, to, pattern) {
  const matches = js.match(new RegExp(pattern, "gm")) ?? [];
  if (matches.length !== 1) throw new Error(`expected ${from} once in the glue, found it ${matches.length} times`);
  js = js.replace(new RegExp(pattern, "m"), (match) => match.replace(from, to));
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const [original, short] of renames) replaceOnce(original, short, `^\\s+${escape(original)}:`);
replaceOnce(MODULE, SHORT_MODULE, `^\\s+"${escape(MODULE)}": import0,$`);

writeFileSync(wasmPath, Buffer.concat(sections.map((section) => Buffer.from(section))));
writeFileSync(jsPath, js);

// What a user ships stays where tests/size-record.json says: a build whose entry's gzipped
// wasm or JavaScript is more than the allowance above its record fails, so that growth is
// decided in the change that causes it; one more than the allowance below fails too, so that
// the saving is recorded and cannot be lost unnoticed (`make bench` reports bundled sizes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzippedSize } from "./support/gzip.mjs";
import { root } from "./support/sandbox.mjs";

const record = JSON.parse(readFileSync(path.join(root, "tests/size-record.json"), "utf8"));
const pkg = path.join(root, "pkg");

/** Why this build's sizes cannot be held to the record, or false. */
function otherToolchain() {
  const marker = path.join(root, "target/wasm-toolchain");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === "debian") return "built with Debian's fallback toolchain (-Zbuild-std)";
  const rustc = execFileSync("rustc", ["--version"], { cwd: root, encoding: "utf8" }).split(" ")[1];
  return rustc !== record.rustc && `recorded with rustc ${record.rustc}, built with rustc ${rustc}`;
}

/** zlib level 9 of the files (paths under pkg/) joined. */
function gzipped(files) {
  return gzippedSize(files.map((file) => path.join(pkg, file)));
}

/** The relative module specifiers in `source`: static imports and re-exports, side-effect and dynamic imports. */
function relativeImports(source) {
  return [...source.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((match) => match[1]);
}

/** The JavaScript files `file` (under pkg/) loads, itself first: its relative imports, transitively. */
function importGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(path.join(pkg, file), "utf8");
  for (const specifier of relativeImports(source)) {
    importGraph(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)), seen);
  }
  return seen;
}

/** The entry's wasm and the JavaScript an import of its browser entry loads, gzipped. */
function shipped(entry) {
  const provider = entry === "apikeys-wasm" ? null : entry.slice("apikeys-wasm/".length);
  return { wasm: gzipped([entryWasm(provider)]), js: gzipped([...importGraph(provider ? `${provider}/index.js` : "index.js")]) };
}

/** The wasm of the main entry (`null`) or of a one-provider entry, as the package names it. */
function entryWasm(provider) {
  return provider ? `${provider}/apikeys_${provider}_bg.wasm` : "apikeys_bg.wasm";
}

test("the import graph follows every kind of relative import, and only those", () => {
  const source = `import a from "./a.js"; import { b } from '../b.js'; export * from "./c.js";
    import "./d.js"; const e = await import("./e.js"); import("../f.js"); import fs from "node:fs";
    const wasm = new URL("apikeys_bg.wasm", import.meta.url); // "./not-an-import.js"`;
  assert.deepEqual(relativeImports(source), ["./a.js", "../b.js", "./c.js", "./d.js", "./e.js", "../f.js"]);
});

test("an entry's JavaScript is what its index.js imports, the shared runtime.js included", () => {
  const files = [...importGraph("openrouter/index.js")];
  assert.deepEqual(files.slice(0, 2), ["openrouter/index.js", "openrouter/apikeys.js"]);
  assert.match(files[2], /^snippets\/[^/]+\/src\/js\/runtime\.js$/);
  assert.ok(existsSync(path.join(pkg, files[2])), files[2]);
  assert.ok(files.includes("errors.js"), files.join(", "));
});

test("every entry of the package is in the size record", () => {
  const providers = readdirSync(pkg).filter((name) => existsSync(path.join(pkg, entryWasm(name))));
  assert.deepEqual(["apikeys-wasm", ...providers.map((name) => `apikeys-wasm/${name}`)].sort(), Object.keys(record.entries).sort());
});

test("every entry ships its recorded size, within the allowance", { skip: otherToolchain() }, () => {
  const off = [];
  for (const [entry, recorded] of Object.entries(record.entries)) {
    const now = shipped(entry);
    for (const part of ["wasm", "js"]) {
      const change = now[part] - recorded[part];
      if (Math.abs(change) > record.allowance[part]) {
        off.push(`${entry} ${part}: ${now[part]} bytes gzipped, recorded ${recorded[part]} (${change > 0 ? "+" : ""}${change})`);
      }
    }
  }
  assert.deepEqual(off, [], "not the size tests/size-record.json holds: record the new size there if the change is wanted");
});

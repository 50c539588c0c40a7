// What a user ships stays where tests/size-record.json says: a build that grows an entry's
// gzipped wasm or JavaScript past its record and allowance fails, so that growth is decided
// in the change that causes it (the benchmark, `make bench`, reports the bundled sizes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "./support/sandbox.mjs";

const record = JSON.parse(readFileSync(path.join(root, "tests/size-record.json"), "utf8"));
const pkg = path.join(root, "pkg");
const runtime = `snippets/${readdirSync(path.join(pkg, "snippets"))[0]}/src/js/runtime.js`;
// Debian's fallback toolchain builds core and alloc itself (-Zbuild-std), about 1.7 KB larger.
const debianToolchain = existsSync(path.join(root, "target/wasm-toolchain")) &&
  readFileSync(path.join(root, "target/wasm-toolchain"), "utf8").trim() === "debian";

/** zlib level 9 of the files (paths under pkg/) joined. */
function gzipped(files) {
  return gzipSync(Buffer.concat(files.map((file) => readFileSync(path.join(pkg, file)))), { level: 9 }).length;
}

/** The entry's files: its wasm, and the JavaScript an import of it loads. */
function shipped(entry) {
  const dir = entry === "apikeys-wasm" ? "" : `${entry.slice("apikeys-wasm/".length)}/`;
  return {
    wasm: gzipped([`${dir}apikeys_bg.wasm`]),
    js: gzipped([`${dir}index.js`, `${dir}apikeys.js`, "errors.js", runtime]),
  };
}

test("every entry of the package is in the size record", () => {
  const entries = ["apikeys-wasm", ...readdirSync(pkg).filter((name) => existsSync(path.join(pkg, name, "apikeys_bg.wasm"))).map((name) => `apikeys-wasm/${name}`)];
  assert.deepEqual(entries.sort(), Object.keys(record.entries).sort());
});

test("no entry ships more than its recorded size allows", { skip: debianToolchain && "built with Debian's fallback toolchain (-Zbuild-std), whose sizes the record does not hold" }, () => {
  const over = [];
  const notes = [];
  for (const [entry, recorded] of Object.entries(record.entries)) {
    const now = shipped(entry);
    for (const part of ["wasm", "js"]) {
      const change = now[part] - recorded[part];
      const line = `${entry} ${part}: ${now[part]} bytes gzipped, recorded ${recorded[part]} (${change >= 0 ? "+" : ""}${change})`;
      if (change > record.allowance[part]) over.push(line);
      else if (change < -record.allowance[part]) notes.push(line);
    }
  }
  // Much smaller than recorded is good news, not a failure: the record should follow it down.
  for (const line of notes) console.log(`size: smaller than tests/size-record.json says; record it: ${line}`);
  assert.deepEqual(over, [], "grew past tests/size-record.json (if the growth is wanted, record the new size there)");
});

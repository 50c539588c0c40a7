// Keeps each `ApiKeys`'s handle on the wasm out of reach: wasm-bindgen's glue keeps it in
// `this.__wbg_ptr`, an own property that a copy of the client (`Object.create` and the own
// properties, as deep-clone helpers make) takes along; once the original is freed, the
// copy's handle points at whatever the wasm puts there next, another client with its key.
// This rewrites the ApiKeys class of the glue to keep handles in a WeakMap private to the
// glue: a freed client, a copy or a forgery throws a TypeError before reaching the wasm,
// and a second `free()` does nothing.
// Usage: node scripts/guard-client.mjs <dir> (holding apikeys.js).
// Fails, changing nothing, if the class is not written as expected.
import { readFileSync, writeFileSync } from "node:fs";

const path = `${process.argv[2]}/apikeys.js`;
const glue = readFileSync(path, "utf8");
const fail = (what) => {
  console.error(`guard-client: ${what} in ${path}; nothing changed`);
  process.exit(1);
};

const start = glue.indexOf("\nexport class ApiKeys {\n");
const end = glue.indexOf("\n}\n", start);
if (start < 0 || end < 0 || glue.indexOf("\nexport class ApiKeys {\n", start + 1) >= 0) fail("expected one ApiKeys class");
let body = glue.slice(start, end);

/** Replaces `from` in the class exactly `times` times (a regex with g), or fails. */
function rewrite(from, to, times) {
  const found = body.match(from)?.length ?? 0;
  if (found !== times) fail(`expected ${from} ${times} times in the ApiKeys class, found it ${found} times`);
  body = body.replace(from, to);
}
rewrite(/const ptr = this\.__wbg_ptr;\n(\s+)this\.__wbg_ptr = 0;/g, "const ptr = clientHandles.get(this) ?? 0;\n$1clientHandles.delete(this);", 1);
rewrite(/wasm\.__wbg_apikeys_free\(ptr, 0\);/g, "if (ptr !== 0) wasm.__wbg_apikeys_free(ptr, 0);", 1);
rewrite(/this\.__wbg_ptr = ([^;\n]+);/g, "clientHandles.set(this, $1);", 1);
const reads = body.match(/this\.__wbg_ptr/g)?.length ?? 0;
if (reads === 0) fail("expected the methods to read this.__wbg_ptr");
body = body.replaceAll("this.__wbg_ptr", "clientHandle(this)");
if (body.includes("__wbg_ptr")) fail("a use of __wbg_ptr that is not this.__wbg_ptr");

const helpers = `
/** Each live client's handle on the wasm (scripts/guard-client.mjs): never on the object. */
const clientHandles = new WeakMap();
function clientHandle(client) {
  const handle = clientHandles.get(client);
  if (handle === undefined) throw new TypeError("this ApiKeys was freed, or was not made by new ApiKeys()");
  return handle;
}
`;
writeFileSync(path, glue.slice(0, start) + body + glue.slice(end) + helpers);

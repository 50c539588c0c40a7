// Drops paths of wasm-bindgen's glue that the package never takes, which a bundler cannot
// tell are dead (0.14 KB of the gzipped browser bundle):
// - the init functions' handling of an argument other than one object: the entries
//   (pkg-template/) pass `{ module }` or `{ module_or_path }`, and nothing else can call them
//   (apikeys.js is not in the package's exports; its types are cut by public-types.mjs);
// - `passStringToWasm0` without `realloc`: every call passes it;
// - `Symbol.dispose` on the internal classes (`Flight`, `KeyPager`): runtime.js frees them,
//   no caller ever holds one.
// Usage: node scripts/trim-glue.mjs <dir> (holding apikeys.js), before shorten-imports.mjs.
// Fails, changing nothing, if the glue is not written as expected.
import { readFileSync, writeFileSync } from "node:fs";

const path = `${process.argv[2]}/apikeys.js`;
let glue = readFileSync(path, "utf8");
const fail = (what) => {
  console.error(`trim-glue: ${what} in ${path}; nothing changed`);
  process.exit(1);
};

/** Replaces the text `from` by `to`, or fails unless it is there exactly once. */
function replaceOnce(from, to) {
  const found = glue.split(from).length - 1;
  if (found !== 1) fail(`expected ${JSON.stringify(from.trim().split("\n")[0])}… once, found it ${found} times`);
  glue = glue.replace(from, () => to);
}

/** wasm-bindgen's handling of an argument that is not `{ <name> }`: the name taken from the object. */
const oneObject = (name, warning) => [
  `
    if (${name} !== undefined) {
        if (Object.getPrototypeOf(${name}) === Object.prototype) {
            ({${name}} = ${name})
        } else {
            console.warn('${warning}')
        }
    }
`,
  `
    ({${name}} = ${name});
`,
];
replaceOnce(...oneObject("module", "using deprecated parameters for `initSync()`; pass a single object instead"));
replaceOnce(...oneObject("module_or_path", "using deprecated parameters for the initialization function; pass a single object instead"));
replaceOnce(
  `
    if (module_or_path === undefined) {
        module_or_path = new URL('apikeys_bg.wasm', import.meta.url);
    }
`,
  "\n",
);

const calls = (glue.match(/passStringToWasm0\(/g)?.length ?? 1) - 1; // less the definition
if (calls === 0) fail("expected calls of passStringToWasm0");
const withRealloc = glue.match(/passStringToWasm0\([\w.]+, wasm\.__wbindgen_malloc, wasm\.__wbindgen_realloc\)/g)?.length ?? 0;
if (calls !== withRealloc) fail(`expected every call of passStringToWasm0 to pass realloc (${withRealloc} of ${calls} do)`);
replaceOnce(
  `
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }
`,
  "",
);

for (const internal of ["Flight", "KeyPager"]) {
  replaceOnce(`\nif (Symbol.dispose) ${internal}.prototype[Symbol.dispose] = ${internal}.prototype.free;\n`, "\n");
}

writeFileSync(path, glue);

// Size: what a browser user ships. Ours = the wasm + the JS the browser entry pulls in
// (index.js → apikeys.js → snippets/**/runtime.js, errors.js); theirs = esbuild bundles
// (--bundle --minify --format=esm --platform=browser, tree-shaken) of small entry files in
// bench/entries/ doing the same key operations. Sizes: raw, gzip level 9, brotli (max).
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { benchDir, log, packageVersion, pkgDir, writeResult } from "./lib.mjs";

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const br = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const measure = (buf) => ({ raw: buf.length, gzip: gz(buf), brotli: br(buf) });

/** `entry`: a file of bench/entries/, or `{ contents }` (a module in bench/entries/). */
async function bundle(entry) {
  const input = typeof entry === "string" ? { entryPoints: [path.join(benchDir, "entries", entry)] } : { stdin: { contents: entry.contents, resolveDir: path.join(benchDir, "entries") } };
  const result = await build({
    ...input,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "warning",
    absWorkingDir: benchDir,
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const inputs = Object.keys(result.metafile.inputs);
  return { code, inputs };
}

// --- ours: the files an import of the browser entry loads, as shipped (unminified JS) ---
const ourBundle = await bundle("ours.js");
const ourJsFiles = ourBundle.inputs
  .map((p) => path.resolve(benchDir, p))
  .filter((p) => p.startsWith(pkgDir + path.sep))
  .map((p) => path.relative(pkgDir, p))
  .sort();
const files = [...ourJsFiles, "apikeys_bg.wasm"].map((rel) => {
  const buf = readFileSync(path.join(pkgDir, rel));
  return { file: rel, ...measure(buf) };
});
const sum = (rows, k) => rows.reduce((a, r) => a + r[k], 0);
const wasm = files.find((f) => f.file === "apikeys_bg.wasm");
const asShipped = { raw: sum(files, "raw"), gzip: sum(files, "gzip"), brotli: sum(files, "brotli") };
// ours, bundled like theirs: the entry minified by esbuild, plus the wasm
const ourJsMin = measure(ourBundle.code);
const oursBundled = { raw: ourJsMin.raw + wasm.raw, gzip: ourJsMin.gzip + wasm.gzip, brotli: ourJsMin.brotli + wasm.brotli };
log("ours", { asShipped, oursBundled, jsMin: ourJsMin, wasm });

// --- ours, one provider (`apikeys-wasm/<provider>`): its entry minified by esbuild, plus its wasm ---
const PROVIDERS = ["gptcore", "quantum", "openrouter", "anthropic", "fluxbase"];
const oneProvider = [];
for (const provider of PROVIDERS) {
  const { code } = await bundle({ contents: `export { ApiKeys } from "../../pkg/${provider}/index.js";` });
  const js = measure(code);
  const providerWasm = measure(readFileSync(path.join(pkgDir, provider, `apikeys_${provider}_bg.wasm`)));
  const total = { raw: js.raw + providerWasm.raw, gzip: js.gzip + providerWasm.gzip, brotli: js.brotli + providerWasm.brotli };
  oneProvider.push({ provider, js, wasm: providerWasm, bundled: total });
  log(`ours, apikeys-wasm/${provider}`, total);
}

// --- theirs ---
const openrouterSdk = `@openrouter/sdk ${packageVersion(path.join(benchDir, "node_modules/@openrouter/sdk"))}`;
const anthropicSdk = `@anthropic-ai/sdk ${packageVersion(path.join(benchDir, "node_modules/@anthropic-ai/sdk"))}`;
const entries = [
  ["openrouter-funcs.js", `${openrouterSdk}, OpenRouterCore + standalone apiKeys* functions (list, get, create, update, delete, current)`],
  ["openrouter-sdk.js", `${openrouterSdk}, \`new OpenRouter()\` + client.apiKeys.* (same operations)`],
  ["anthropic-resource.js", `${anthropicSdk}, BaseAnthropic + organization APIKeys resource (list, retrieve, update)`],
  ["anthropic-sdk.js", `${anthropicSdk}, \`new Anthropic()\` + client.organization.apiKeys (same operations)`],
  ["both-min.js", "both official SDKs in their smallest form (OpenRouter + Anthropic only)"],
];
const theirs = [];
for (const [entry, label] of entries) {
  const { code, inputs } = await bundle(entry);
  const m = measure(code);
  theirs.push({ entry, label, ...m, modules: inputs.length, ratioGzip: oursBundled.gzip / m.gzip });
  log(entry, m);
}

writeResult("size", {
  goalGzip: 40 * 1024,
  ours: { files, asShipped, jsMinified: ourJsMin, bundled: oursBundled, wasm, oneProvider },
  theirs,
});

/* @ts-self-types="./index.d.ts" */
// Deno: the wasm is imported as a WebAssembly.Module (source phase import), so no
// --allow-read is needed; only --allow-net for the API host.
import source wasmModule from "./apikeys_bg.wasm";
import { initSync } from "./apikeys.js";

initSync({ module: wasmModule });

export { ApiKeys } from "./apikeys.js";
export * from "./errors.js";

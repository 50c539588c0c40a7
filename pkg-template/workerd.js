// Cloudflare Workers (workerd): the wasm is imported as a compiled WebAssembly.Module,
// as Workers require (no runtime compilation from bytes).
import wasmModule from "./apikeys_bg.wasm";
import { initSync } from "./apikeys.js";

initSync({ module: wasmModule });

export { ApiKeys } from "./apikeys.js";
export * from "./errors.js";

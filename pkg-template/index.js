// Browsers and bundlers: fetch and compile the wasm next to this file, once, at import.
import init from "./apikeys.js";

await init({ module_or_path: new URL("./apikeys_bg.wasm", import.meta.url) });

export { ApiKeys } from "./apikeys.js";
export * from "./errors.js";

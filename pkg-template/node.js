// Node >= 18: read the wasm from disk synchronously (no fetch of file: URLs in Node).
import { readFileSync } from "node:fs";
import { initSync } from "./apikeys.js";

initSync({ module: readFileSync(new URL("./apikeys_bg.wasm", import.meta.url)) });

export { ApiKeys } from "./apikeys.js";
export * from "./errors.js";

// A wasm file for the build's binaryen.js steps (order-functions, trap-at-once): each reads it
// in place and rewrites it, or refuses, changing nothing, what it cannot read.
import binaryen from "../node_modules/binaryen/index.js";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A function that reports `message` as `tool`'s refusal and exits with 1. */
export function refusal(tool) {
  return (message) => {
    console.error(`${tool}: ${message}; nothing changed`);
    process.exit(1);
  };
}

/** The bytes of the wasm module at `path` (the script's argument); refuses anything else. */
export function readWasm(path, tool, fail) {
  if (path === undefined) fail(`usage: node scripts/${tool}.mjs <file.wasm>`);
  const bytes = readFileSync(path);
  if (bytes.length < 8 || WASM_HEADER.some((byte, i) => bytes[i] !== byte)) fail("not a wasm module (version 1)");
  return bytes;
}

/** `bytes` as a binaryen module that validates; refuses anything else. */
export function readModule(bytes, fail) {
  let module;
  try {
    module = binaryen.readBinary(bytes);
  } catch (error) {
    fail(`binaryen cannot read it (${error.message ?? error})`);
  }
  if (!module.validate()) fail("the input does not validate");
  return module;
}

/** Writes `module` over `path`, names kept where there are any (wasm-opt drops them). */
export function writeModule(module, path) {
  binaryen.setDebugInfo(true);
  // Written beside and renamed over it, so that a failed write leaves the input whole.
  writeFileSync(`${path}.writing`, module.emitBinary());
  renameSync(`${path}.writing`, path);
}

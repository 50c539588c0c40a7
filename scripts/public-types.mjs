// Writes the package's public apikeys.d.ts from wasm-bindgen's (see scripts/pkg.sh): keeps
// everything before the first internal declaration, drops `[Symbol.dispose]` from the
// internal classes with them, and declares `SymbolConstructor.dispose` and `.asyncDispose` for older libs.
// Fails, writing nothing, if the file does not have the shape this expects.
import { readFileSync, writeFileSync } from "node:fs";

const [from, to] = process.argv.slice(2);
const text = readFileSync(from, "utf8");
const fail = (why) => {
  console.error(`public-types: ${from}: ${why}`);
  process.exit(1);
};

const INTERNAL = ["export class Flight ", "export class KeyPager ", "export type InitInput ", "export function initSync", "export default function"];
const starts = INTERNAL.map((start) => text.indexOf(`\n${start}`));
if (starts.some((at) => at < 0)) fail(`expected each of ${INTERNAL.join(", ")}`);
// The cut starts at the doc comment of the first internal declaration, if it has one.
let cut = Math.min(...starts);
const comment = text.lastIndexOf("\n/**", cut);
if (comment >= 0 && text.slice(text.indexOf("*/", comment) + 2, cut).trim() === "") cut = comment;
const kept = text.slice(0, cut);
if (!kept.includes("export class ApiKeys ") || !kept.includes("[Symbol.dispose](): void;")) fail("ApiKeys (with [Symbol.dispose]) must come before the internal declarations");
for (const name of ["Flight", "KeyPager", "InitInput", "InitOutput", "SyncInitInput"]) {
  if (new RegExp(`\\b${name}\\b`).test(kept)) fail(`the public part still names ${name}`);
}
const DISPOSE = `declare global {
  /** As @types/node declares them, so \`keys[Symbol.dispose]()\` and \`walk[Symbol.asyncDispose]()\` type without the esnext.disposable lib (present where the runtime defines them). */
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}
`;
writeFileSync(to, `${kept.trimEnd()}\n\n${DISPOSE}`);

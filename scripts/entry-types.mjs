// Writes the types of a one-provider entry (`apikeys-wasm/<provider>`): the main entry's,
// with `provider` narrowed and each operation the provider does not offer typed so that a
// call is a compile error naming it ("The 'this' context … is not assignable to … 'anthropic
// does not offer create'"). Such a method keeps the main one's parameters and result and
// takes a `this` of its own, so the client stays assignable to the main entry's `ApiKeys`
// (and a test double of it still type-checks). What the provider
// offers is asked of the built entry itself (`supports`), so the types follow the wasm.
// Usage: node scripts/entry-types.mjs <pkg dir> <provider>  (prints the index.d.ts)
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pkgDir, provider] = process.argv.slice(2);
const OPERATIONS = ["list", "listAll", "listActive", "get", "current", "create", "update", "revoke", "enable", "rotate", "delete", "setBudget", "resetBudgetPeriod", "usage"];
const NOT_OPERATIONS = ["constructor", "__destroy_into_raw", "free", "baseUrl", "provider", "supports", "unsupportedReason", "toJSON", "toString"];

const { ApiKeys } = await import(pathToFileURL(path.resolve(pkgDir, provider, "node.js")).href);
const keys = new ApiKeys({ provider, apiKey: "entry-types", baseUrl: "https://entry-types.example" });
const unknown = Object.getOwnPropertyNames(ApiKeys.prototype).filter((name) => !OPERATIONS.includes(name) && !NOT_OPERATIONS.includes(name));
if (unknown.length > 0) {
  console.error(`entry-types: ApiKeys has methods this script does not know as operations or not: ${unknown.join(", ")}`);
  process.exit(1);
}
const notOffered = OPERATIONS.filter((op) => !keys.supports(op));
for (const op of OPERATIONS) {
  if (typeof ApiKeys.prototype[op] !== "function" || (keys.unsupportedReason(op) === undefined) !== keys.supports(op)) {
    console.error(`entry-types: "${op}" is not an operation of the ${provider} entry as expected`);
    process.exit(1);
  }
}
const reasons = new Map(notOffered.map((op) => [op, keys.unsupportedReason(op)]));
keys.free();

const refused = notOffered.map((op) => `  /**
   * ${reasons.get(op).replace("; no request was sent", ": a call rejects with `UnsupportedOperationError` and sends no request")}.
   */
  ${op}(this: "${provider} does not offer ${op}", ...args: Parameters<AnyProvider["${op}"]>): ReturnType<AnyProvider["${op}"]>;
`).join("");
const omitted = ["provider", "toJSON", ...notOffered].map((name) => `"${name}"`).join(" | ");
process.stdout.write(`// apikeys-wasm/${provider}: the main entry's types, with \`provider\` narrowed to "${provider}"
// and each operation ${provider} does not offer a compile error (scripts/entry-types.mjs).
import { ApiKeys as AnyProvider, type ApiKeysOptions as AnyProviderOptions } from "../apikeys.js";
export type * from "../apikeys.js";
export * from "../errors.js";
/** The options of this entry's client: its wasm speaks only ${provider}. */
export type ApiKeysOptions = AnyProviderOptions & { provider: "${provider}" };
/**
 * A client for ${provider}'s key-management API, with the main entry's methods. This entry's
 * wasm has only its dialect, and its class is its own: not \`instanceof\` the main entry's.
 */
export interface ApiKeys extends Omit<AnyProvider, ${omitted}> {
  readonly provider: "${provider}";
  toJSON(): { provider: "${provider}"; baseUrl: string };
${refused}}
export declare const ApiKeys: {
  new (options: ApiKeysOptions): ApiKeys;
  readonly prototype: ApiKeys;
};
`);

export { ApiKeys } from "./apikeys.js";
export type * from "./apikeys.js";
export * from "./errors.js";

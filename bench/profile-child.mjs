// `node profile-child.mjs <baseUrl> <apiKey> <out.cpuprofile>`: our listAll over the sandbox's
// OpenRouter keys, profiled in-process with V8's sampling profiler (node:inspector) around
// RUNS walks only: started after the imports and a warm-up walk, so neither process start-up
// nor module loading and the first compilations are in the profile.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { ApiKeys } from "../pkg/node.js";

const RUNS = 3;
const [, , baseUrl, apiKey, out] = process.argv;
const keys = new ApiKeys({ provider: "openrouter", baseUrl, apiKey });
let n = 0;
const walk = async () => {
  for await (const _ of keys.listAll()) n++;
};

await walk(); // warm-up
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
for (let i = 0; i < RUNS; i++) await walk();
const { profile } = await session.post("Profiler.stop");
session.disconnect();
writeFileSync(out, JSON.stringify(profile));
process.stdout.write(JSON.stringify({ runs: RUNS, keys: n / (RUNS + 1) }) + "\n");

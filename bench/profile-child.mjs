// Run under `node --cpu-prof`: our listAll over the sandbox's OpenRouter keys, 3 times.
import { ApiKeys } from "../pkg/node.js";

const [, , baseUrl, apiKey] = process.argv;
const keys = new ApiKeys({ provider: "openrouter", baseUrl, apiKey });
let n = 0;
for (let i = 0; i < 3; i++) for await (const _ of keys.listAll()) n++;
process.stdout.write(JSON.stringify({ keys: n }) + "\n");

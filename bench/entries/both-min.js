// The two official SDKs together, each in its smallest form (OpenRouter + Anthropic: two of our five providers).
import { demo as openrouter } from "./openrouter-funcs.js";
import { demo as anthropic } from "./anthropic-resource.js";

export async function demo(options) {
  return (await openrouter(options)) + (await anthropic(options));
}

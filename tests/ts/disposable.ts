// `using` and `await using`, as the README promises them (TypeScript's esnext.disposable lib;
// run by scripts/test-ts.sh with the oldest TypeScript that has `using`, 5.2, as well).
import { ApiKeys, type ApiKey } from "apikeys-wasm";
import { ApiKeys as OpenRouterKeys } from "apikeys-wasm/openrouter";

export async function firstKeys(): Promise<ApiKey[]> {
  using keys = new ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-…" });
  using one = new OpenRouterKeys({ provider: "openrouter", apiKey: "sk-or-v1-…" });
  await using walk = keys.listAll({ prefetch: false });
  const taken: ApiKey[] = [];
  for await (const key of walk) if (taken.push(key) === 3) break;
  const stopped: Promise<void> = one.listAll()[Symbol.asyncDispose]();
  await stopped;
  return taken;
}

// A Node project without the DOM lib (`lib: ES2022`, `types: ["node"]`, no skipLibCheck,
// `exactOptionalPropertyTypes`): the package's types must compile there too, so they name no
// DOM-only type, and an input member may be `undefined` (the library reads it as not given).
import { ApiKeys, ApiKeysError, type ApiKey } from "apikeys-wasm";

export async function nodeOnly(): Promise<ApiKey | null> {
  const keys = new ApiKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-…", fetch: (input, init) => fetch(input, init) });
  const timeoutMs: number | undefined = process.env.TIMEOUT ? Number(process.env.TIMEOUT) : undefined;
  await keys.list({ cursor: undefined, limit: 10 }, { signal: undefined, timeoutMs });
  try {
    return await keys.get("apikey_01");
  } catch (error) {
    if (error instanceof ApiKeysError) console.log(error.retryAfterMs);
    return null;
  } finally {
    keys[Symbol.dispose]();
  }
}

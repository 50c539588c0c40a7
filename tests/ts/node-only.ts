// A Node project without the DOM lib (`lib: ES2022`, `types: ["node"]`, no skipLibCheck):
// the package's types must compile there too, so they name no DOM-only type.
import { ApiKeys, ApiKeysError, type ApiKey } from "apikeys-wasm";

export async function nodeOnly(): Promise<ApiKey | null> {
  const keys = new ApiKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-…", fetch: (input, init) => fetch(input, init) });
  try {
    return await keys.get("apikey_01");
  } catch (error) {
    if (error instanceof ApiKeysError) console.log(error.retryAfterMs);
    return null;
  } finally {
    keys[Symbol.dispose]();
  }
}

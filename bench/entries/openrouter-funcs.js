// @openrouter/sdk, tree-shakable form: OpenRouterCore + the standalone apiKeys* functions.
import { OpenRouterCore } from "@openrouter/sdk/core.js";
import { apiKeysCreate } from "@openrouter/sdk/funcs/apiKeysCreate.js";
import { apiKeysDelete } from "@openrouter/sdk/funcs/apiKeysDelete.js";
import { apiKeysGet } from "@openrouter/sdk/funcs/apiKeysGet.js";
import { apiKeysGetCurrentKeyMetadata } from "@openrouter/sdk/funcs/apiKeysGetCurrentKeyMetadata.js";
import { apiKeysList } from "@openrouter/sdk/funcs/apiKeysList.js";
import { apiKeysUpdate } from "@openrouter/sdk/funcs/apiKeysUpdate.js";
import { HTTPClient } from "@openrouter/sdk/lib/http.js";

const ok = (result) => {
  if (!result.ok) throw result.error;
  return result.value;
};

export async function demo({ baseUrl, apiKey, fetch }) {
  const core = new OpenRouterCore({ apiKey, serverURL: baseUrl, httpClient: new HTTPClient({ fetcher: fetch }) });
  const created = ok(await apiKeysCreate(core, { requestBody: { name: "bench", limit: 5, limitReset: "monthly" } }));
  const hash = created.data.hash;
  ok(await apiKeysGet(core, { hash }));
  ok(await apiKeysUpdate(core, { hash, requestBody: { name: "bench 2" } }));
  ok(await apiKeysGetCurrentKeyMetadata(core));
  let n = 0;
  for (let offset = 0; ; offset += 100) {
    const page = ok(await apiKeysList(core, { offset })).data;
    n += page.length;
    if (page.length < 100) break;
  }
  ok(await apiKeysDelete(core, { hash }));
  return n;
}

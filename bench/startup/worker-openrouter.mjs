// workerd start-up sample: @openrouter/sdk standalone functions (bundled by esbuild for workerd).
import { OpenRouterCore } from "@openrouter/sdk/core.js";
import { apiKeysList } from "@openrouter/sdk/funcs/apiKeysList.js";
import { HTTPClient } from "@openrouter/sdk/lib/http.js";

export default {
  async fetch() {
    let called = false;
    const fetcher = async () => {
      called = true;
      return new Response('{"data":[]}', { headers: { "content-type": "application/json" } });
    };
    const core = new OpenRouterCore({ apiKey: "sk-or-v1-x", serverURL: "http://127.0.0.1:9/openrouter/api/v1", httpClient: new HTTPClient({ fetcher }) });
    const result = await apiKeysList(core, {});
    if (!result.ok) throw result.error;
    if (!called) throw new Error("fetch was never called");
    return new Response("ok");
  },
};

// workerd start-up sample: the package's workerd entry; one request = new ApiKeys + list()
// with a canned fetch (no network). Answers "ok".
import { ApiKeys } from "./pkg/workerd.js";

export default {
  async fetch() {
    let called = false;
    const keys = new ApiKeys({
      provider: "openrouter",
      apiKey: "sk-or-v1-x",
      baseUrl: "http://127.0.0.1:9/openrouter/api/v1",
      fetch: async () => {
        called = true;
        return new Response('{"data":[]}', { headers: { "content-type": "application/json" } });
      },
    });
    await keys.list();
    if (!called) throw new Error("fetch was never called");
    return new Response("ok");
  },
};

// workerd start-up sample: @anthropic-ai/sdk, BaseAnthropic + organization APIKeys (bundled by esbuild).
import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { APIKeys } from "@anthropic-ai/sdk/resources/organization/api-keys";

export default {
  async fetch() {
    let called = false;
    const fetch = async () => {
      called = true;
      return new Response('{"data":[],"has_more":false,"first_id":null,"last_id":null}', { headers: { "content-type": "application/json" } });
    };
    const client = new BaseAnthropic({ apiKey: "sk-ant-admin01-x", baseURL: "http://127.0.0.1:9/anthropic", fetch });
    await new APIKeys(client).list({ limit: 20 });
    if (!called) throw new Error("fetch was never called");
    return new Response("ok");
  },
};

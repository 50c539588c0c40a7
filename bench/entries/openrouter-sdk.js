// @openrouter/sdk, the usual form: the OpenRouter class and client.apiKeys.
import { OpenRouter } from "@openrouter/sdk";
import { HTTPClient } from "@openrouter/sdk/lib/http.js";

export async function demo({ baseUrl, apiKey, fetch }) {
  const client = new OpenRouter({ apiKey, serverURL: baseUrl, httpClient: new HTTPClient({ fetcher: fetch }) });
  const created = await client.apiKeys.create({ requestBody: { name: "bench", limit: 5, limitReset: "monthly" } });
  const hash = created.data.hash;
  await client.apiKeys.get({ hash });
  await client.apiKeys.update({ hash, requestBody: { name: "bench 2" } });
  await client.apiKeys.getCurrentKeyMetadata();
  let n = 0;
  for (let offset = 0; ; offset += 100) {
    const page = (await client.apiKeys.list({ offset })).data;
    n += page.length;
    if (page.length < 100) break;
  }
  await client.apiKeys.delete({ hash });
  return n;
}

// @anthropic-ai/sdk, smallest form: BaseAnthropic (no resources) + the organization APIKeys resource.
import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { APIKeys } from "@anthropic-ai/sdk/resources/organization/api-keys";

export async function demo({ baseUrl, apiKey, fetch }) {
  const client = new BaseAnthropic({ apiKey, baseURL: baseUrl, fetch, dangerouslyAllowBrowser: true });
  const apiKeys = new APIKeys(client);
  let first;
  for await (const key of apiKeys.list({ limit: 20 })) {
    if (!first && key.status === "active") first = key;
  }
  await apiKeys.retrieve(first.id);
  await apiKeys.update(first.id, { name: "renamed" });
  return 1;
}

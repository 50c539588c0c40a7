// @anthropic-ai/sdk, the usual form: the Anthropic client and client.organization.apiKeys.
import Anthropic from "@anthropic-ai/sdk";

export async function demo({ baseUrl, apiKey, fetch }) {
  const client = new Anthropic({ apiKey, baseURL: baseUrl, fetch, dangerouslyAllowBrowser: true });
  let first;
  for await (const key of client.organization.apiKeys.list({ limit: 20 })) {
    if (!first && key.status === "active") first = key;
  }
  await client.organization.apiKeys.retrieve(first.id);
  await client.organization.apiKeys.update(first.id, { name: "renamed" });
  return 1;
}

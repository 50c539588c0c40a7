// One start-up sample in a fresh Node process: `node node-child.mjs <variant>`. Prints one JSON
// line: ms from before the library's import() to the first call of the client's fetch (wasm
// compile + instantiate included), the import alone, and performance.now() at that first
// call (ms since the process started). The fetch answers a canned empty page: no network.
const variant = process.argv[2];
const pkgEntry = new URL("../../pkg/node.js", import.meta.url).href;
const t0 = performance.now();
let tImport = 0;
let tFetch = 0;

const canned = (body) => () => {
  if (!tFetch) tFetch = performance.now();
  return Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
};
const openrouterPage = canned('{"data":[]}');
const anthropicPage = canned('{"data":[],"has_more":false,"first_id":null,"last_id":null}');
const baseUrl = "http://127.0.0.1:9/openrouter/api/v1";
const anthropicUrl = "http://127.0.0.1:9/anthropic";

switch (variant) {
  case "baseline": {
    tImport = performance.now();
    const r = await openrouterPage(`${baseUrl}/keys`, { headers: { authorization: "Bearer x" } });
    JSON.parse(await r.text());
    break;
  }
  case "ours": {
    const { ApiKeys } = await import(pkgEntry);
    tImport = performance.now();
    const keys = new ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-x", baseUrl, fetch: openrouterPage });
    await keys.list();
    break;
  }
  case "ours-openrouter-entry": {
    const { ApiKeys } = await import(new URL("../../pkg/openrouter/node.js", import.meta.url).href);
    tImport = performance.now();
    const keys = new ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-x", baseUrl, fetch: openrouterPage });
    await keys.list();
    break;
  }
  case "ours-anthropic": {
    const { ApiKeys } = await import(pkgEntry);
    tImport = performance.now();
    const keys = new ApiKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-x", baseUrl: anthropicUrl, fetch: anthropicPage });
    await keys.list();
    break;
  }
  case "openrouter-funcs": {
    const [{ OpenRouterCore }, { apiKeysList }, { HTTPClient }] = await Promise.all([
      import("@openrouter/sdk/core.js"),
      import("@openrouter/sdk/funcs/apiKeysList.js"),
      import("@openrouter/sdk/lib/http.js"),
    ]);
    tImport = performance.now();
    const core = new OpenRouterCore({ apiKey: "sk-or-v1-x", serverURL: baseUrl, httpClient: new HTTPClient({ fetcher: openrouterPage }) });
    const result = await apiKeysList(core, {});
    if (!result.ok) throw result.error;
    break;
  }
  case "openrouter-sdk": {
    const [{ OpenRouter }, { HTTPClient }] = await Promise.all([
      import("@openrouter/sdk"),
      import("@openrouter/sdk/lib/http.js"),
    ]);
    tImport = performance.now();
    const client = new OpenRouter({ apiKey: "sk-or-v1-x", serverURL: baseUrl, httpClient: new HTTPClient({ fetcher: openrouterPage }) });
    await client.apiKeys.list({});
    break;
  }
  case "anthropic-sdk": {
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    tImport = performance.now();
    const client = new Anthropic({ apiKey: "sk-ant-admin01-x", baseURL: anthropicUrl, fetch: anthropicPage });
    await client.organization.apiKeys.list({ limit: 20 });
    break;
  }
  case "anthropic-resource": {
    const [{ BaseAnthropic }, { APIKeys }] = await Promise.all([
      import("@anthropic-ai/sdk/client"),
      import("@anthropic-ai/sdk/resources/organization/api-keys"),
    ]);
    tImport = performance.now();
    const client = new BaseAnthropic({ apiKey: "sk-ant-admin01-x", baseURL: anthropicUrl, fetch: anthropicPage });
    await new APIKeys(client).list({ limit: 20 });
    break;
  }
  default:
    throw new Error(`unknown variant ${variant}`);
}
if (!tFetch) throw new Error("fetch was never called");
process.stdout.write(JSON.stringify({ variant, importMs: tImport - t0, firstFetchMs: tFetch - t0, sinceProcessStartMs: tFetch }) + "\n");

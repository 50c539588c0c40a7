// A TypeScript user of apikeys-wasm, compiled with `tsc --strict` in the test suite:
// every option, input and output has a real type (the @ts-expect-error lines prove
// that mistakes are caught, which `any` would not do).
import {
  ApiKeys, ApiKeysError, ValidationError, RateLimitError, NotFoundError, UnsupportedOperationError, ServerError, AbortError,
  type ApiKey, type ApiKeysOptions, type ProviderName, type CreatedKey, type Page, type Usage, type NewKey, type LogEvent,
} from "apikeys-wasm";

const options: ApiKeysOptions = {
  provider: "openrouter",
  apiKey: "sk-or-v1-…",
  baseUrl: "http://127.0.0.1:8787/openrouter/api/v1",
  headers: { "x-title": "demo" },
  maxRetries: 3,
  maxRetryDelayMs: 10_000,
  timeoutMs: 5_000,
  // `signal` is the request's own, aborted on a timeout.
  fetch: (input, init) => (init.signal.aborted ? Promise.reject(new Error("aborted")) : fetch(input, init)),
  logger: (event: LogEvent) => {
    if (event.type === "retry") console.log(event.delayMs.toFixed(0));
  },
};
// @ts-expect-error an unknown provider is a type error
const wrong: ApiKeysOptions = { provider: "openai", apiKey: "x" };
// @ts-expect-error an option of another provider is a type error (it is refused at run time)
const foreign: ApiKeysOptions = { provider: "openrouter", apiKey: "x", routes: "api-keys" };
// @ts-expect-error fluxbase is self-hosted: its baseUrl is required
const rootless: ApiKeysOptions = { provider: "fluxbase", apiKey: "x" };
const fluxbase: ApiKeysOptions = { provider: "fluxbase", apiKey: "x", baseUrl: "https://fluxbase.example.com", authStyle: "api-key", routes: "api-keys" };

export async function tour(): Promise<number> {
  const keys = new ApiKeys(options);
  const supported: boolean = keys.supports("rotate");
  const reason: string | undefined = keys.unsupportedReason("rotate");
  const shown: string = `${keys.baseUrl} ${keys.toString()}`;
  // @ts-expect-error baseUrl is a string (typed, not `any`)
  const notANumber: number = keys.baseUrl;
  // @ts-expect-error toString() gives a string
  const alsoNotANumber: number = keys.toString();
  // @ts-expect-error unsupportedReason() gives a string or undefined
  const notABoolean: boolean = keys.unsupportedReason("rotate");
  const provider: ProviderName = keys.provider; // one of the five names, not any string
  // @ts-expect-error not an operation name
  keys.supports("explode");

  const page: Page = await keys.list({ includeDisabled: true, offset: 0 });
  const first: ApiKey | undefined = page.items[0];
  const next: string | null = page.nextCursor;
  const limit: number | null = first?.budget?.limit ?? null;

  let count = 0;
  for await (const key of keys.listAll({ onPage: (p) => console.log(p.pages, p.keys) })) {
    const name: string | null = key.name;
    if (key.status === "disabled") count += name ? 1 : 0;
  }
  const everything: ApiKey[] = await keys.listAll().toArray();
  const oneAtATime: ApiKey[] = await keys.listAll({ prefetch: false }).toArray();
  // @ts-expect-error prefetch is a boolean
  keys.listAll({ prefetch: "yes" });

  const input: NewKey = { name: "CI", budget: { limit: 10, period: "monthly" }, expiresAt: "2030-01-01T00:00:00Z" };
  const created: CreatedKey = await keys.create(input);
  const secret: string = created.secret;
  // @ts-expect-error the secret is a string, not a number
  const wrongSecret: number = created.secret;

  const controller = new AbortController();
  const updated: ApiKey = await keys.update(created.key.id, { name: "CI 2" }, { signal: controller.signal, timeoutMs: 1_000, headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
  await keys.revoke(updated.id);
  await keys.enable(updated.id);
  await keys.setBudget(updated.id, { limit: null });
  // @ts-expect-error setBudget needs the limit (null removes it)
  await keys.setBudget(updated.id, { period: "weekly" });
  const deleted: void = await keys.delete(updated.id);
  const usage: Usage = await keys.usage({ keyId: "k" });
  const cost: number | null = usage.totalCost;
  const rotated: CreatedKey = await keys.rotate("k", { graceSeconds: 60 });
  await keys.resetBudgetPeriod("k");
  const me: ApiKey = await keys.current();

  try {
    await keys.get("missing");
  } catch (error) {
    if (error instanceof ValidationError) console.log(error.fields.map((f) => `${f.field}: ${f.message}`));
    else if (error instanceof RateLimitError) console.log(error.retryAfterMs, error.requestId);
    else if (error instanceof ServerError) console.log(error.retryAfterMs, "a 5xx may ask for a wait too");
    else if (error instanceof NotFoundError || error instanceof UnsupportedOperationError) console.log(error.status);
    else if (error instanceof AbortError) console.log(error.cause);
    else if (error instanceof ApiKeysError) console.log(error.code, error.provider, error.operation);
  }
  keys[Symbol.dispose]();
  const wrapped = new NotFoundError("gone", { cause: new Error("404") });
  // A test double of an error the client throws: its constructor takes the details.
  const double = new RateLimitError("slow down", { status: 429, retryAfterMs: 100, provider: "openrouter", operation: "list" });
  // @ts-expect-error the provider is one of the five
  new RateLimitError("slow down", { provider: "acme" });
  void double;
  // @ts-expect-error list's status is one of the providers' words
  await keys.list({ status: "enabled" });
  // @ts-expect-error archiving cannot be undone: only `archived: true` is accepted
  await keys.update("k", { archived: false });
  void [foreign, rootless, fluxbase, wrapped];
  void [wrong, supported, reason, first, next, limit, everything, oneAtATime, secret, wrongSecret, deleted, cost, rotated, me];
  return count;
}

// A one-provider entry has the same types (its client takes only its provider), and the same
// error classes as the main entry.
import { ApiKeys as OpenRouterKeys, ValidationError as OneProviderValidationError, type ApiKey as OneProviderKey } from "apikeys-wasm/openrouter";
export async function oneProvider(): Promise<OneProviderKey> {
  const keys = new OpenRouterKeys({ provider: "openrouter", apiKey: "sk-or-v1-…", maxRetries: 1 });
  // @ts-expect-error this entry speaks only openrouter
  new OpenRouterKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-…" });
  const anyEntry: ApiKeys = keys;
  const name: "openrouter" = keys.provider;
  const described: { provider: "openrouter"; baseUrl: string } = keys.toJSON();
  void [anyEntry, name, described];
  const sameClass: typeof ValidationError = OneProviderValidationError;
  void sameClass;
  // @ts-expect-error get takes an id
  await keys.get();
  return keys.get("hash");
}

// Closed sets of words are typed as such: a word the provider refuses is a type error.
export async function words(quantum: ApiKeys, gptcore: ApiKeys): Promise<void> {
  await quantum.create({ name: "eu", region: "europe" });
  // @ts-expect-error Quantum AI's regions are americas, europe and asia
  await quantum.create({ name: "x", region: "mars" });
  await gptcore.create({ name: "svc", keyType: "server" });
  // @ts-expect-error GPT Core's key types are user, application, system and server
  await gptcore.usage({ tenantId: "t", keyType: "robot" });
}

// Each entry's class is its own (another wasm module's): a one-provider client is not
// `instanceof` the main entry's class, and the types do not claim it is.
type IsNever<T> = [T] extends [never] ? true : false;
export function entryOf(keys: OpenRouterKeys): string {
  if (keys instanceof ApiKeys) return "the main entry";
  const stillAClient: IsNever<typeof keys> = false;
  void stillAClient;
  return keys instanceof OpenRouterKeys ? keys.provider : "another";
}

// Every one-provider entry's types narrow its client to its provider.
import { ApiKeys as GptCoreKeys } from "apikeys-wasm/gptcore";
import { ApiKeys as QuantumKeys } from "apikeys-wasm/quantum";
import { ApiKeys as AnthropicKeys } from "apikeys-wasm/anthropic";
import { ApiKeys as FluxbaseKeys, NotFoundError as FluxbaseNotFound } from "apikeys-wasm/fluxbase";
export function everyEntry(): ["gptcore", "quantum", "anthropic", "fluxbase"] {
  const gptcore = new GptCoreKeys({ provider: "gptcore", apiKey: "sk_tenant_…" });
  const quantum = new QuantumKeys({ provider: "quantum", apiKey: "qai_k_…" });
  const anthropic = new AnthropicKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-…" });
  const fluxbase = new FluxbaseKeys({ provider: "fluxbase", apiKey: "x", baseUrl: "https://fluxbase.example.com" });
  // @ts-expect-error the GPT Core entry speaks only gptcore
  new GptCoreKeys({ provider: "quantum", apiKey: "qai_k_…" });
  // @ts-expect-error the Fluxbase entry needs its baseUrl, as the main entry does
  new FluxbaseKeys({ provider: "fluxbase", apiKey: "x" });
  const sameClass: typeof NotFoundError = FluxbaseNotFound;
  void sameClass;
  return [gptcore.provider, quantum.provider, anthropic.provider, fluxbase.provider];
}

// In a one-provider entry an operation its provider does not offer is a compile error (it
// always rejects with UnsupportedOperationError), and the client is still a main-entry ApiKeys.
export async function notOffered(anthropic: AnthropicKeys, quantum: QuantumKeys, gptcore: GptCoreKeys, fluxbase: FluxbaseKeys, openrouter: OpenRouterKeys): Promise<void> {
  // @ts-expect-error Anthropic keys are created in the Console
  await anthropic.create({ name: "ci" });
  // @ts-expect-error Quantum AI has no get
  await quantum.get("id");
  // @ts-expect-error GPT Core has no current key
  await gptcore.current();
  // @ts-expect-error Fluxbase does not rotate
  await fluxbase.rotate("id");
  // @ts-expect-error OpenRouter's usage is on each key
  await openrouter.usage({});
  await anthropic.update("apikey_01", { name: "ci" });
  await quantum.rotate("id", { graceSeconds: 60 });
  const asMainEntry: ApiKeys[] = [anthropic, quantum, gptcore, fluxbase, openrouter];
  void asMainEntry;
}


/** The providers `ApiKeys` speaks. */
export type ProviderName = "gptcore" | "quantum" | "openrouter" | "anthropic" | "fluxbase";

/** The operations; `keys.supports(op)` says which the provider offers. */
export type OperationName =
  | "list" | "listAll" | "get" | "current" | "create" | "update" | "revoke" | "enable"
  | "rotate" | "delete" | "setBudget" | "resetBudgetPeriod" | "usage" | "listActive";

/**
 * The `fetch` the client calls (the global one by default). It must return the runtime's
 * own `Response`. `signal` is the request's own, aborted on a timeout or when the call's
 * signal fires (see the README).
 */
export type FetchLike = (input: string, init: {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** A redirect is reported as an `ApiKeysError`, never followed (see the README). */
  redirect: "manual";
}) => Promise<Response>;

/** One debug-log event; credential headers are always "[redacted]". */
export type LogEvent =
  | { type: "request"; method: string; url: string; headers: Record<string, string>; attempt: number }
  | { type: "response"; status: number; requestId: string | null }
  | { type: "retry"; retry: number; delayMs: number; reason: string };

/** Options every provider takes. */
export interface CommonOptions {
  /** The provider's management (admin) key. Never logged, never in errors. */
  apiKey: string;
  /** The API root; defaults to the provider's public URL (required for fluxbase, which is self-hosted). */
  baseUrl?: string | undefined;
  /** Plain http is refused except for loopback hosts unless this is true. */
  allowInsecureHttp?: boolean | undefined;
  /** Extra headers for every request (a plain object; a `Headers` instance is refused). */
  headers?: Record<string, string> | undefined;
  /** Retries after 429, 408, 5xx, timeouts and dropped connections (default 2; `create`, `rotate` and other non-idempotent requests only after 429, 408 or a refused connection). */
  maxRetries?: number | undefined;
  /** Longest server-requested wait honoured, in ms (default 60000). */
  maxRetryDelayMs?: number | undefined;
  /** Per-attempt timeout in ms (default 60000). */
  timeoutMs?: number | undefined;
  /** The fetch to use (proxies, test doubles, service bindings). */
  fetch?: FetchLike | undefined;
  /** Opt-in debug log. */
  logger?: ((event: LogEvent) => void) | undefined;
}

export interface GptCoreOptions extends CommonOptions {
  provider: "gptcore";
  /** The `Accept` header's API version (default "2025-12-03"). */
  apiVersion?: string | undefined;
}

export interface QuantumOptions extends CommonOptions {
  provider: "quantum";
}

export interface OpenRouterOptions extends CommonOptions {
  provider: "openrouter";
}

export interface AnthropicOptions extends CommonOptions {
  provider: "anthropic";
  /** `anthropic-version` (default "2023-06-01"). */
  apiVersion?: string | undefined;
  /** How the key is sent: "x-api-key" (default) or "bearer". */
  authStyle?: "x-api-key" | "bearer" | undefined;
}

export interface FluxbaseOptions extends CommonOptions {
  provider: "fluxbase";
  /** Fluxbase is self-hosted: its root, e.g. "https://fluxbase.example.com". */
  baseUrl: string;
  /** How the key is sent: "service-key" (default, `X-Service-Key`), "api-key" (`X-API-Key`) or "bearer". */
  authStyle?: "service-key" | "api-key" | "bearer" | undefined;
  /** Route family: "client-keys" (default, current servers) or "api-keys" (before the rename). */
  routes?: "client-keys" | "api-keys" | undefined;
}

/** Options of `new ApiKeys(options)`: each provider's own (an option another provider takes is a type error, as it is refused at run time). */
export type ApiKeysOptions = GptCoreOptions | QuantumOptions | OpenRouterOptions | AnthropicOptions | FluxbaseOptions;

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxRetryDelayMs?: number | undefined;
  /** Headers for this call only (a trace id, say), over the client's `headers` of the same name; checked as those are. */
  headers?: Record<string, string> | undefined;
}

export type KeyStatus = "active" | "disabled" | "revoked" | "expired" | "archived";
export type BudgetPeriod = "daily" | "weekly" | "monthly" | "yearly" | "lifetime";
export type BudgetUnit = "usd" | "credits";

export interface Budget {
  /** `null`: unlimited. */
  limit: number | null;
  /** `null`: never resets. */
  period: BudgetPeriod | null;
  used: number | null;
  remaining: number | null;
  unit: BudgetUnit;
  resetsAt: string | null;
}

export interface KeyUsage {
  total: number | null;
  daily: number | null;
  weekly: number | null;
  monthly: number | null;
  requests: number | null;
  unit: BudgetUnit | null;
}

export interface RateLimit {
  requests: number;
  periodSeconds: number;
}

/** One key, the same shape for every provider; `raw` is the provider's own JSON. */
export interface ApiKey {
  provider: ProviderName;
  /** The id the per-key methods take (OpenRouter: the key's hash); `""` from OpenRouter's `current()`, which names none. */
  id: string;
  name: string | null;
  /** A non-secret hint (prefix or redacted form). */
  hint: string | null;
  status: KeyStatus;
  createdAt: string | null;
  updatedAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  budget: Budget | null;
  usage: KeyUsage | null;
  rateLimit: RateLimit | null;
  scopes: string[] | null;
  workspaceId: string | null;
  raw: unknown;
}

/** A new or rotated key: `secret` is shown this once. */
export interface CreatedKey {
  key: ApiKey;
  secret: string;
  /** The id of the key a rotation replaced, when the new key has another id (Quantum AI); otherwise `null` (always from `create`). */
  replacedKeyId: string | null;
}

export interface Page {
  items: ApiKey[];
  /**
   * Pass as `cursor` for the next page; `null` when there is none. Offset-paged providers
   * (OpenRouter, GPT Core) may give one on a page shorter than `limit`: the page it leads
   * to can be empty, and that one has `null`.
   */
  nextCursor: string | null;
}

export interface BudgetInput {
  /** `null` removes the limit. */
  limit?: number | null | undefined;
  /** `null`: no periodic reset. */
  period?: BudgetPeriod | null | undefined;
}

/** Input of `setBudget`: the limit is required (`null` removes it). */
export interface BudgetToSet extends BudgetInput {
  limit: number | null;
}

/** The fields `create` and `update` share (see the README's inputs per provider). */
export interface KeyFields {
  name?: string | undefined;
  budget?: BudgetInput | undefined;
  includeByokInLimit?: boolean | undefined;
  scopes?: string[] | undefined;
  description?: string | undefined;
  rateLimit?: { requests: number; periodSeconds?: number | undefined } | undefined;
}

/** Input of `create`; each provider accepts the fields it knows (others are refused). */
export interface NewKey extends KeyFields {
  /** RFC 3339 in UTC, in the future (for a `Date`, its `toISOString()`). */
  expiresAt?: string | undefined;
  workspaceId?: string | undefined;
  creatorUserId?: string | undefined;
  endpoints?: string[] | undefined;
  /** Quantum AI. */
  region?: QuantumRegion | undefined;
  /** GPT Core. */
  keyType?: GptCoreKeyType | undefined;
  tenantId?: string | undefined;
  applicationId?: string | undefined;
  userId?: string | undefined;
}

/** Input of `update`: only the given fields change. */
export interface KeyPatch extends KeyFields {
  disabled?: boolean | undefined;
  /** Anthropic: only `true` (archiving is permanent; `false` is refused), and not with `disabled`. */
  archived?: true | undefined;
}

export interface ListOptions {
  /** `nextCursor` of the previous page (`null`: from the start, so a page's `nextCursor` can be passed as it is). */
  cursor?: string | null | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
  includeDisabled?: boolean | undefined;
  workspaceId?: string | undefined;
  /** GPT Core: "active", "revoked" or "expired"; Anthropic: "active", "inactive", "archived" or "expired". */
  status?: "active" | "revoked" | "expired" | "inactive" | "archived" | undefined;
  createdByUserId?: string | undefined;
  userId?: string | undefined;
}

export interface ListProgress {
  pages: number;
  keys: number;
  nextCursor: string | null;
}

export interface ListAllOptions extends ListOptions {
  /** Called as the walk reaches each page (a page requested ahead is reported when your loop gets to it, not when it arrives). */
  onPage?: ((progress: ListProgress) => void) | undefined;
  /**
   * Request the next page while your loop works through the current one (default `true`).
   * At most one page is requested ahead; stopping early (`break`) aborts that request.
   * `false` sends each request only when the previous page is used up.
   */
  prefetch?: boolean | undefined;
}

/** What `listAll()` returns: `for await (const key of keys.listAll())`. */
export interface KeyIterator extends AsyncGenerator<ApiKey, void, undefined> {
  /** Every key in one array. */
  toArray(): Promise<ApiKey[]>;
  /**
   * Stops the walk, as `return()` does: what `await using walk = keys.listAll()` calls
   * (present where the runtime defines `Symbol.asyncDispose`). Declared here, not only
   * inherited: `AsyncGenerator` has it only from TypeScript 5.6 on.
   */
  [Symbol.asyncDispose](): Promise<void>;
}

export interface RotateOptions {
  /** Seconds the old secret keeps working (Quantum AI). */
  graceSeconds?: number | undefined;
}

export interface ResetOptions {
  /** RFC 3339 UTC start of the new period (for a `Date`, its `toISOString()`); the provider's "now" by default. */
  periodStartedAt?: string | undefined;
}

/** A Quantum AI key's region. */
export type QuantumRegion = "americas" | "europe" | "asia";
/** A GPT Core key's type. */
export type GptCoreKeyType = "user" | "application" | "system" | "server";

/** What `usage` is about: GPT Core needs `tenantId` (and takes `keyType`), Quantum AI `keyId`. */
export interface UsageQuery {
  keyId?: string | undefined;
  tenantId?: string | undefined;
  keyType?: GptCoreKeyType | undefined;
}

export interface UsageDay {
  date: string;
  requests: number | null;
  cost: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface Usage {
  keyId: string | null;
  unit: BudgetUnit | null;
  totalCost: number | null;
  totalRequests: number | null;
  days: UsageDay[];
  keys: ApiKey[];
  raw: unknown;
}

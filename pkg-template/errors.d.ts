import type { ProviderName, OperationName } from "./apikeys.js";

/** One refused input field of a `ValidationError`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What an error carries besides its message (each member optional), as its constructor takes it: for test doubles. */
export interface ApiKeysErrorDetails {
  status?: number | null | undefined;
  code?: string | null | undefined;
  requestId?: string | null | undefined;
  provider?: ProviderName | null | undefined;
  operation?: OperationName | null | undefined;
  retryAfterMs?: number | null | undefined;
  fields?: FieldProblem[] | undefined;
  raw?: unknown;
  /** As `Error`'s own option. */
  cause?: unknown;
}

/**
 * Base class of every error a call of apikeys-wasm rejects with, and of the constructor's
 * `ValidationError` (a freed client throws a plain `TypeError` instead). Never carries a secret.
 */
export class ApiKeysError extends Error {
  constructor(message?: string, details?: ApiKeysErrorDetails);
  /** HTTP status, when a response arrived. */
  readonly status: number | null;
  /** The provider's error code or type; for a `NetworkError`, the runtime's system error code (`ECONNREFUSED`, …) when it has one. */
  readonly code: string | null;
  /** The provider's request id, when it sends one. */
  readonly requestId: string | null;
  readonly provider: ProviderName | null;
  readonly operation: OperationName | null;
  /** How long the provider asked to wait before trying again (a `Retry-After` header or a body hint), on any HTTP error. */
  readonly retryAfterMs?: number;
  /**
   * The provider's error body as `JSON.parse` reads it, secrets redacted: what the message and
   * `code` do not say (Anthropic's `error.details`, OpenRouter's `error.metadata`). `null` when
   * no response came, or its body was not JSON, was over 16 KiB, or held a secret behind JSON
   * escapes that could not be redacted in place.
   */
  readonly raw: unknown;
  /** An `AbortError`'s signal reason, or the `cause` given to the constructor (declared here for libs before ES2022). */
  readonly cause?: unknown;
  toJSON(): Record<string, unknown>;
}
/** Bad input or options; nothing was sent. `fields` lists every problem. */
export class ValidationError extends ApiKeysError {
  readonly fields: FieldProblem[];
}
/** The provider does not offer the operation; nothing was sent. */
export class UnsupportedOperationError extends ApiKeysError {}
/** HTTP 400/422. */
export class BadRequestError extends ApiKeysError {}
/** HTTP 401: the management key is missing or wrong. */
export class AuthenticationError extends ApiKeysError {}
/** HTTP 403. */
export class PermissionError extends ApiKeysError {}
/** HTTP 404, or Fluxbase's 500 for a write to a missing key (`status` stays 500). */
export class NotFoundError extends ApiKeysError {}
/** HTTP 409. */
export class ConflictError extends ApiKeysError {}
/** HTTP 429; `retryAfterMs` when the provider said how long to wait. */
export class RateLimitError extends ApiKeysError {}
/** HTTP 5xx. */
export class ServerError extends ApiKeysError {}
/** No response within `timeoutMs`, or HTTP 408. */
export class TimeoutError extends ApiKeysError {}
/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class AbortError extends ApiKeysError {}
/** No complete response arrived (the connection failed or dropped, or the body was over 64 MiB); the message gives the runtime's reasons. */
export class NetworkError extends ApiKeysError {}
/** The response was not what the provider documents. */
export class ResponseFormatError extends ApiKeysError {}

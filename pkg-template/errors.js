// The error classes, re-exported from the module the wasm shell itself uses,
// so `instanceof` works on every error the client throws.
export {
  ApiKeysError, ValidationError, UnsupportedOperationError, BadRequestError, AuthenticationError,
  PermissionError, NotFoundError, ConflictError, RateLimitError, ServerError, TimeoutError,
  AbortError, NetworkError, ResponseFormatError,
} from "__RUNTIME__";

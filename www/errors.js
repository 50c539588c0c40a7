// How an ApiKeysError is shown: what happened, the HTTP status, the provider's code and
// request id, and for a rate limit when the call can be tried again.
import {
  ApiKeysError, ValidationError, UnsupportedOperationError, BadRequestError, AuthenticationError,
  PermissionError, NotFoundError, ConflictError, RateLimitError, ServerError, TimeoutError,
  AbortError, NetworkError, ResponseFormatError,
} from "/pkg/index.js";
import { h, copyButton } from "./ui.js";

const TITLES = [
  [ValidationError, "Some input is not valid", "Nothing was sent to the provider."],
  [UnsupportedOperationError, "Not offered by this provider", "Nothing was sent to the provider."],
  [AuthenticationError, "The management key was refused", "Check the management key in Connection."],
  [PermissionError, "Not allowed", "The management key lacks the permission for this."],
  [NotFoundError, "Not found", "The key may have been deleted elsewhere: reload the list."],
  [ConflictError, "Conflict", "The key is not in a state that allows this."],
  [RateLimitError, "Rate limited", null],
  [BadRequestError, "The provider refused the request", null],
  [ServerError, "The provider had a problem", "The call was already retried where that is safe; try again later."],
  [TimeoutError, "No answer in time", "The provider did not answer before the timeout."],
  [AbortError, "Cancelled", null],
  [NetworkError, "Could not reach the provider", "Check the base URL and your connection."],
  [ResponseFormatError, "Unexpected answer", "The provider's response was not in the documented shape."],
];

export const isAbort = (error) => error instanceof AbortError;

/**
 * True when a failed call may have been carried out by the provider, as the library's
 * message says: a write not retried after a 5xx, a timeout or a dropped connection, an
 * abort after sending, or an accepted write whose answer could not be read.
 */
export const mayHaveHappened = (error) => /may have carried it out|most likely carried out/.test(error?.message ?? "");
export const isValidation = (error) => error instanceof ValidationError;

/** Hints that depend on what failed: a list's 404 is a wrong URL; an unsure write was not retried. */
function hintFor(error, hint) {
  const listing = ["list", "listAll", "listActive"].includes(error.operation);
  if (error instanceof NotFoundError && listing) return "Check the base URL in Connection: the provider's key list is not there.";
  if (mayHaveHappened(error)) return "Reload the list to see whether it was done before trying again.";
  return hint;
}

function describe(error) {
  for (const [Class, title, hint] of TITLES) if (error instanceof Class) return { title, hint: hintFor(error, hint) };
  if (error instanceof ApiKeysError) return { title: "Request failed", hint: null };
  return { title: "Unexpected error", hint: "This is a bug in the demo page." };
}

/** One-line text for the status region. */
export function errorSummary(error) {
  const { title } = describe(error);
  const message = String(error?.message ?? error);
  const status = error?.status && !message.includes(`HTTP ${error.status}`) ? ` (HTTP ${error.status})` : "";
  return `${title}${status}: ${message}`;
}

/**
 * The error box: title, message, a details row (HTTP status, code, request id, operation) and,
 * for a rate limit, a live countdown to when `onRetry` becomes available.
 */
export function errorBox(error, { onRetry, onDismiss, retries = 0 } = {}) {
  const { title, hint } = describe(error);
  const meta = h("dl", { class: "error-meta" });
  const item = (term, ...value) => meta.append(h("div", {}, h("dt", {}, term), h("dd", {}, ...value)));
  item("HTTP status", error?.status ? String(error.status) : "none (no response)");
  if (error?.code && String(error.code) !== String(error.status)) item("Code", h("code", {}, error.code));
  item("Request ID", ...(error?.requestId
    ? [h("code", { class: "request-id" }, error.requestId), " ", copyButton(error.requestId, "request ID")]
    : [h("span", { class: "muted" }, "not sent by the provider")]));
  if (error?.operation) item("Operation", h("code", {}, error.operation));
  if (retries > 0) item("Automatic retries", String(retries));

  const box = h("div", { class: "error-box", role: "alert" },
    h("div", { class: "error-head" },
      h("span", { class: "error-icon", "aria-hidden": "true" }, "!"),
      h("div", {},
        h("p", { class: "error-title" }, title),
        h("p", { class: "error-message" }, error?.message ?? String(error)),
        hint ? h("p", { class: "error-hint" }, hint) : null)),
    meta);

  if (error instanceof ValidationError && error.fields?.length) {
    box.append(h("ul", { class: "error-fields" },
      error.fields.map((f) => h("li", {}, h("code", {}, f.field || "input"), " ", f.message))));
  }

  const actions = h("div", { class: "error-actions" });
  if (error instanceof RateLimitError) {
    const wait = Number.isFinite(error.retryAfterMs) ? error.retryAfterMs : null;
    const retryAt = wait === null ? null : Date.now() + wait;
    const countdown = h("p", { class: "retry-at" });
    box.append(countdown);
    const retry = onRetry ? h("button", { type: "button", class: "btn", onclick: onRetry }, "Retry") : null;
    const tick = () => {
      if (retryAt === null) {
        countdown.textContent = "The provider did not say how long to wait; wait a moment before retrying.";
        return;
      }
      const left = Math.ceil((retryAt - Date.now()) / 1000);
      if (left > 0) {
        countdown.textContent = `The provider asks to wait: you can retry in ${left} s (at ${new Date(retryAt).toLocaleTimeString()}).`;
        retry?.setAttribute("aria-disabled", "true");
        setTimeout(tick, Math.min(1000, retryAt - Date.now()));
      } else {
        countdown.textContent = "You can retry now.";
        retry?.removeAttribute("aria-disabled");
      }
    };
    if (retry) {
      retry.addEventListener("click", (event) => {
        if (retry.getAttribute("aria-disabled") === "true") event.stopImmediatePropagation();
      }, { capture: true });
      actions.append(retry);
    }
    tick();
  } else if (onRetry && !(error instanceof ValidationError) && !(error instanceof UnsupportedOperationError)) {
    actions.append(h("button", { type: "button", class: "btn", onclick: onRetry }, "Try again"));
  }
  if (onDismiss) actions.append(h("button", { type: "button", class: "btn ghost", onclick: onDismiss }, "Dismiss"));
  box.append(actions);
  return box;
}

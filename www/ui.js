// Small DOM helpers shared by the demo's modules: element building, formatting,
// dialogs with focus handling, the aria-live status line and error boxes.

/** `h("button", { class: "x", onclick }, "text", child…)`: builds an element. */
export function h(tag, props = {}, ...children) {
  const node = tag.includes(":") || tag === "svg" ? svg(tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag) {
  return document.createElementNS(SVG_NS, tag.replace(/^svg:/, ""));
}

/** An SVG element: `s("rect", { x: 0 })`. */
export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

// ---- formatting ----

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const UNITS = [
  ["year", 365 * 864e5], ["month", 30 * 864e5], ["week", 7 * 864e5], ["day", 864e5],
  ["hour", 36e5], ["minute", 6e4], ["second", 1e3],
];

/** "3 days ago" / "in 2 months". */
export function ago(iso, now = Date.now()) {
  const diff = Date.parse(iso) - now;
  if (Number.isNaN(diff)) return iso;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "second") return relative.format(Math.round(diff / ms), unit);
  }
  return iso;
}

/** A `<time>` with a relative text and the full date as tooltip; "—" (with a label) when absent. */
export function time(iso, empty = "never") {
  if (!iso) return h("span", { class: "muted" }, empty);
  const date = new Date(iso);
  return h("time", { datetime: iso, title: absolute.format(date) }, ago(iso));
}

export function fullDate(iso) {
  return iso ? `${absolute.format(new Date(iso))} (${ago(iso)})` : "—";
}

const usd = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 4 });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

/** `$12.50` or `120,500 credits`. */
export function amount(value, unit, { short = false } = {}) {
  if (value === null || value === undefined) return "—";
  if (unit === "usd") return value !== 0 && Math.abs(value) < 0.01 ? usdSmall.format(value) : usd.format(value);
  const n = short ? compact.format(value) : plain.format(value);
  return unit === "credits" ? `${n} credits` : n;
}

export function number(value, { short = false } = {}) {
  if (value === null || value === undefined) return "—";
  return short ? compact.format(value) : plain.format(value);
}

export const json = (value) => JSON.stringify(value, null, 2);

// ---- status line (aria-live) ----

/** Announces `message` in the polite live region; `busy` shows the spinner. */
export function announce(message, { busy = false, tone = "info" } = {}) {
  const region = $("#status");
  const text = $("#status-text");
  region.dataset.tone = tone;
  region.classList.toggle("busy", busy);
  text.textContent = message;
}

// ---- dialogs ----

/**
 * Opens a modal `<dialog>`: focus goes to `[autofocus]` or the first field, Escape and
 * `[data-close]` buttons close it, focus returns to what was focused before.
 * Resolves with the dialog's returnValue when it closes.
 */
export function openDialog(dialog, { onClose, fallbackFocus, canClose = () => true, backdropCloses = true, onEscape = null, onBusyClose = null } = {}) {
  const opener = document.activeElement;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    const closeButtons = [...dialog.querySelectorAll("[data-close]")];
    // The `close` event comes a task after `close()`: what `onClose` clears (a secret shown
    // once) goes as the dialog closes, not a moment later.
    const close = (value) => {
      dialog.close(value);
      finish();
    };
    const onClick = (event) => {
      if (canClose()) close(event.currentTarget.value || "cancel");
      // Busy (a call running): Cancel stops the call instead of doing nothing.
      else onBusyClose?.();
    };
    closeButtons.forEach((b) => b.addEventListener("click", onClick));
    // A click on the backdrop (outside the dialog's box) closes it, but only when the press
    // began there too: a text selection dragged out of an input ends with a click whose
    // target is the dialog, and the second click of a double-click on the button that
    // opened the dialog lands on the backdrop. Neither may throw away what was typed.
    const outside = (event) => {
      const r = dialog.getBoundingClientRect();
      return event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom;
    };
    let pressedOutside = false;
    const onPress = (event) => {
      pressedOutside = event.target === dialog && outside(event);
    };
    const onBackdrop = (event) => {
      const fromOutside = pressedOutside;
      pressedOutside = false;
      if (event.detail > 1) return;
      if (backdropCloses && fromOutside && event.target === dialog && outside(event) && canClose()) close("cancel");
    };
    // Escape: refused while the dialog is busy (e.g. a key being created), or handed to
    // `onEscape` (which says why it stays open) where one keypress must not close it. A
    // browser lets a page refuse only so many Escapes in a row (Chromium's second `cancel`
    // without a click between is not cancelable): the dialog then closes, and is opened again.
    let reopen = false;
    const onCancel = (event) => {
      if (!canClose() || onEscape) {
        event.preventDefault();
        reopen = !event.cancelable;
      }
      onEscape?.();
    };
    const onClosed = () => {
      if (!reopen) return finish();
      reopen = false;
      dialog.showModal();
    };
    dialog.addEventListener("pointerdown", onPress);
    dialog.addEventListener("click", onBackdrop);
    dialog.addEventListener("cancel", onCancel);
    let finished = false;
    // Once, on whichever comes first: our `close()`, or the `close` event (a form of method dialog).
    const finish = () => {
      if (finished) return;
      finished = true;
      closeButtons.forEach((b) => b.removeEventListener("click", onClick));
      dialog.removeEventListener("pointerdown", onPress);
      dialog.removeEventListener("click", onBackdrop);
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("close", onClosed);
      onClose?.(dialog.returnValue);
      // Back to the opener; if a re-render replaced it, to its successor, else to the main area.
      const target = opener?.isConnected ? opener : fallbackFocus?.() ?? $("#main");
      target?.focus?.();
      resolve(dialog.returnValue);
    };
    dialog.addEventListener("close", onClosed);
    dialog.showModal();
    const first = dialog.querySelector("[autofocus]") ||
      dialog.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled]):not([data-close])");
    (first || dialog).focus();
  });
}

/** A yes/no question in the confirm dialog. */
export async function confirmDialog({ title, body, confirm = "Confirm", danger = false }) {
  const dialog = $("#confirm-dialog");
  $("#confirm-title").textContent = title;
  const bodyEl = $("#confirm-body");
  bodyEl.replaceChildren(...[].concat(body).map((part) => (part instanceof Node ? part : h("p", {}, part))));
  const ok = $("#confirm-ok");
  ok.textContent = confirm;
  ok.className = danger ? "btn danger" : "btn primary";
  const result = await openDialog(dialog);
  return result === "ok";
}

// ---- copying ----

/** Copies `text`; falls back to a selected hidden textarea where the Clipboard API is refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { class: "offscreen", "aria-hidden": "true", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.value = "";
    area.remove();
    return ok;
  }
}

/** A small "Copy" button for a non-secret value (ids, request ids). */
export function copyButton(value, label) {
  const button = h("button", { type: "button", class: "btn tiny ghost", "aria-label": `Copy ${label}` }, "Copy");
  button.addEventListener("click", async () => {
    const ok = await copyText(value);
    button.textContent = ok ? "Copied" : "Copy failed";
    announce(ok ? `${label} copied to the clipboard` : `Could not copy ${label}`);
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return button;
}

// The Key Console: one page that manages API keys on five providers through the public
// API of apikeys-wasm. The management key lives only in this module's memory; new
// secrets live only in the secret dialog while it is open.
import { ApiKeys, NotFoundError } from "/pkg/index.js";
import { h, $, announce, openDialog, confirmDialog, copyText, copyButton, amount, number, json, fullDate } from "./ui.js";
import { errorBox, errorSummary, isAbort, isValidation, mayHaveHappened } from "./errors.js";
import { CREATE_FIELDS, UPDATE_FIELDS, ROTATE_FIELDS, budgetFields, buildFields } from "./forms.js";
import { keyRows, filterKeys, sortKeys, statusBadge, keyLabel, keyName } from "./table.js";
import { budgetChart, dayChart, barList, meter } from "./chart.js";

const PROVIDERS = {
  gptcore: { label: "GPT Core" },
  quantum: { label: "Quantum AI" },
  openrouter: { label: "OpenRouter" },
  anthropic: { label: "Anthropic Admin API" },
  fluxbase: { label: "Fluxbase" },
};
const PROVIDER_NAMES = Object.keys(PROVIDERS);

/** Options `listAll` needs to return every key, not only the active ones. */
const LIST_ALL_OPTIONS = { openrouter: { includeDisabled: true } };

const OPERATIONS = [
  ["list", "List"], ["get", "Get one"], ["create", "Create"], ["update", "Update"], ["revoke", "Revoke / disable"],
  ["enable", "Enable"], ["rotate", "Rotate"], ["delete", "Delete"], ["setBudget", "Set budget"],
  ["resetBudgetPeriod", "Reset budget period"], ["usage", "Usage"], ["current", "Current key"],
];

/** Why a provider lacks an operation, in its users' words. */
const REASONS = {
  anthropic: {
    create: "Anthropic creates keys only in its Console, not through the Admin API.",
    rotate: "Anthropic cannot rotate keys: create a new one in the Console, then disable this one.",
    delete: "Anthropic keys cannot be deleted through the Admin API; disable them instead.",
    setBudget: "Anthropic has no per-key spending limits.",
    resetBudgetPeriod: "Anthropic has no per-key spending limits.",
    usage: "The Anthropic Admin API reports no usage per key.",
  },
  openrouter: {
    rotate: "OpenRouter cannot rotate a key: create a new key, switch to it, then delete this one.",
    resetBudgetPeriod: "OpenRouter resets limits by itself at midnight UTC.",
    usage: "OpenRouter has no usage history; each key carries its daily, weekly and monthly spend.",
  },
  quantum: {
    get: "Quantum AI has no single-key lookup; the list has every field.",
    update: "Quantum AI keys cannot be changed after creation.",
    enable: "A revoked Quantum AI key cannot be turned back on.",
    delete: "Quantum AI only revokes keys; revoked keys stay listed.",
    setBudget: "Quantum AI sets the spend cap only when the key is created.",
    resetBudgetPeriod: "Quantum AI spend caps never reset.",
  },
  fluxbase: {
    enable: "A revoked Fluxbase key cannot be turned back on.",
    rotate: "Fluxbase cannot rotate keys: create a new key, then revoke this one.",
    setBudget: "Fluxbase keys have rate limits, not budgets.",
    resetBudgetPeriod: "Fluxbase keys have rate limits, not budgets.",
    usage: "Fluxbase reports no usage per key.",
  },
  gptcore: {
    enable: "A revoked GPT Core key cannot be turned back on.",
  },
};

function reasonFor(provider, op) {
  return REASONS[provider]?.[op] ?? `${PROVIDERS[provider].label} does not offer this.`;
}

const PAGE_ROWS = 50;

const state = {
  info: null,
  /**
   * False until start() has the sandbox's connection defaults. Until then nothing connects: a
   * tab picked or a key typed meanwhile is taken by start().
   */
  ready: false,
  provider: "openrouter",
  /** Per provider: `{ baseUrl, apiKey }` typed in this tab. Memory only. */
  connections: {},
  client: null,
  keys: [],
  loaded: false,
  pages: 0,
  generation: 0,
  /** Bumped by each change an action makes to the list: a key's refresh begun before one is stale. */
  changes: 0,
  filter: "all",
  search: "",
  sort: { column: "created", direction: "descending" },
  shown: PAGE_ROWS,
  highlight: null,
  openKeyId: null,
  usageCache: new Map(),
  /** Ids of keys a rotation replaced (Quantum AI: working until their grace period ends). */
  replaced: new Set(),
  usageKeyId: null,
  usageMetric: "cost",
  tenantId: "",
  retries: 0,
  running: new Set(),
  log: [],
};

const provider = () => state.provider;
/** What a provider offers, from a client made only to ask (the connection's may be missing or refused). */
const probes = {};
const probeFor = (name) => (probes[name] ??= new ApiKeys({ provider: name, apiKey: "probe", baseUrl: "https://probe.invalid" }));
const supports = (op) => probeFor(state.provider).supports(op);
const label = () => PROVIDERS[state.provider].label;

// ---- running library calls ----

/**
 * Runs one library call with a cancel button, a busy status, and errors shown in `errorIn`.
 * A ValidationError goes to `onValidation` first (which returns true when it showed it all).
 */
async function run(what, fn, { errorIn = $("#page-error"), retry, onValidation, quiet = false } = {}) {
  const controller = new AbortController();
  state.running.add(controller);
  state.retries = 0;
  updateCancel();
  if (!quiet) announce(`${what}…`, { busy: true });
  errorIn?.replaceChildren();
  try {
    const value = await fn(controller.signal);
    return { ok: true, value };
  } catch (error) {
    if (isAbort(error) && !mayHaveHappened(error)) {
      announce(`${what}: cancelled.`);
    } else if (isValidation(error) && onValidation && onValidation(error)) {
      announce(`${what}: please correct the highlighted fields.`, { tone: "error" });
    } else {
      if (!(error && typeof error === "object" && "status" in error)) console.warn(error);
      announce(errorSummary(error), { tone: "error" });
      errorIn?.replaceChildren(errorBox(error, {
        retries: state.retries,
        onRetry: retry ? () => { errorIn.replaceChildren(); retry(); } : undefined,
        onDismiss: () => errorIn.replaceChildren(),
      }));
    }
    return { ok: false, error };
  } finally {
    state.running.delete(controller);
    updateCancel();
  }
}

/** Aborts every library call that is running (the header's Cancel, a busy form's Cancel, a provider switch). */
function cancelRunning() {
  for (const c of state.running) c.abort();
}

function updateCancel() {
  $("#cancel-op").hidden = state.running.size === 0;
}

/** The library's debug log: shown in the request log, retries in the status line. */
function logger(event) {
  const time = new Date().toLocaleTimeString();
  let line;
  if (event.type === "request") {
    const url = new URL(event.url);
    line = h("li", { class: "log-request" }, h("span", { class: "log-time" }, time), " → ",
      h("strong", {}, event.method), " ", h("code", {}, url.pathname + url.search),
      event.attempt > 1 ? h("span", { class: "muted" }, ` (attempt ${event.attempt})`) : null);
  } else if (event.type === "response") {
    line = h("li", { class: event.status >= 400 ? "log-error" : "log-response" }, h("span", { class: "log-time" }, time), " ← ",
      h("strong", {}, String(event.status)),
      event.requestId ? h("span", { class: "muted" }, " · request id ", h("code", {}, event.requestId)) : null);
  } else if (event.type === "retry") {
    state.retries = event.retry;
    const seconds = (event.delayMs / 1000).toFixed(1);
    announce(`${event.reason}: retrying in ${seconds} s (automatic retry ${event.retry})…`, { busy: true, tone: "warn" });
    countDown(event.delayMs);
    line = h("li", { class: "log-retry" }, h("span", { class: "log-time" }, time), ` ↻ retry ${event.retry} in ${seconds} s: ${event.reason}`);
  }
  if (!line) return;
  const list = $("#request-log");
  list.prepend(line);
  while (list.children.length > 100) list.lastElementChild.remove();
}

/**
 * The seconds left before a retry, beside the status line: outside its live region, so a
 * screen reader hears the wait once, not every second. Ends when the status line changes.
 */
function countDown(ms) {
  const out = $("#status-countdown");
  const said = $("#status-text").textContent;
  const until = Date.now() + ms;
  clearInterval(state.countdown);
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    const over = left <= 0 || $("#status-text").textContent !== said;
    out.textContent = over ? "" : `${left} s left`;
    if (over) clearInterval(state.countdown);
  };
  if (ms < 2000) return (out.textContent = ""); // a short wait needs no countdown
  tick();
  state.countdown = setInterval(tick, 250);
}

// ---- connection ----

function defaultsFor(name) {
  const p = state.info?.providers?.[name];
  return { baseUrl: p?.baseUrl ?? "", apiKey: p?.managementKey ?? "" };
}

function connectionFor(name) {
  return (state.connections[name] ??= defaultsFor(name));
}

function showConnectionErrors(problems) {
  const targets = { baseUrl: "#base-url", apiKey: "#management-key" };
  for (const [field, selector] of Object.entries(targets)) {
    const input = $(selector);
    const error = $(`${selector}-error`);
    const mine = problems.filter((p) => p.field === field);
    input.toggleAttribute("aria-invalid", mine.length > 0);
    if (mine.length) input.setAttribute("aria-invalid", "true");
    error.hidden = !mine.length;
    // The library names its option; here it is the checkbox under the field.
    const message = (p) => p.message.replace("allowInsecureHttp: true", "“Allow plain HTTP” ticked");
    error.textContent = mine.map((p) => `${field === "apiKey" ? "Management key" : "Base URL"} ${message(p)}.`).join(" ");
  }
  return problems.filter((p) => !targets[p.field]);
}

/** Makes the client from the connection fields; false (errors shown) when the options are refused. */
function connect() {
  if (!state.ready) return false;
  const conn = connectionFor(state.provider);
  conn.baseUrl = $("#base-url").value.trim();
  conn.apiKey = $("#management-key").value;
  showConnectionErrors([]);
  $("#connection-error").replaceChildren();
  $("#page-error").replaceChildren();
  state.client = null;
  // Another key or URL: what the old one listed is not this connection's.
  const identity = JSON.stringify([conn.baseUrl, conn.apiKey, $("#allow-http").checked]);
  if (conn.identity !== undefined && conn.identity !== identity) forgetKeys();
  conn.identity = identity;
  try {
    state.client = new ApiKeys({
      provider: state.provider,
      apiKey: conn.apiKey,
      baseUrl: conn.baseUrl || undefined,
      allowInsecureHttp: $("#allow-http").checked || undefined,
      logger,
    });
  } catch (error) {
    $("#connection-details").open = true;
    const rest = isValidation(error) ? showConnectionErrors(error.fields ?? []) : [error];
    if (rest.length) $("#connection-error").replaceChildren(errorBox(error));
    announce(`Cannot connect to ${label()}: ${error.message}`, { tone: "error" });
    renderCapabilities();
    return false;
  }
  renderCapabilities();
  renderConnectionSummary();
  return true;
}

/** The one-line summary of the (collapsed, at phone width) connection settings. */
function renderConnectionSummary() {
  const conn = connectionFor(state.provider);
  let host = "default URL";
  try {
    if (conn.baseUrl) host = new URL(conn.baseUrl).host;
  } catch {
    host = conn.baseUrl;
  }
  $("#connection-summary").textContent = `· ${host} · ${conn.apiKey ? "key set" : "no key"}`;
}

/** Drops the listed keys and what was read about them. */
function forgetKeys() {
  state.keys = [];
  state.loaded = false;
  state.shown = PAGE_ROWS;
  state.highlight = null;
  state.usageCache.clear();
  state.usageKeyId = null;
  renderAll();
}

function selectProvider(name, { load = true } = {}) {
  if (!state.ready) return; // start() selects the tab picked meanwhile
  if (!PROVIDERS[name]) name = "openrouter";
  state.provider = name;
  state.generation++;
  cancelRunning();
  for (const input of document.querySelectorAll("input[name=provider]")) input.checked = input.value === name;
  const conn = connectionFor(name);
  $("#base-url").value = conn.baseUrl;
  $("#management-key").value = conn.apiKey;
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  document.title = `${PROVIDERS[name].label} keys · Key Console`;
  state.tenantId = "";
  $("#page-error").replaceChildren();
  $("#usage-error").replaceChildren();
  forgetKeys();
  if (connect() && load) loadKeys();
}

// ---- loading ----

async function loadKeys() {
  if (!state.client && !connect()) return;
  const generation = ++state.generation;
  const client = state.client;
  const progress = $("#progress");
  const progressText = $("#progress-text");
  progress.hidden = false;
  progressText.textContent = `Loading ${label()} keys…`;
  $("#keys-table").setAttribute("aria-busy", "true");
  let pages = 0;
  const options = {
    ...(LIST_ALL_OPTIONS[state.provider] ?? {}),
    onPage: ({ pages: n, keys, nextCursor }) => {
      pages = n;
      progressText.textContent = `Page ${n} loaded · ${keys} keys so far${nextCursor ? " · fetching more…" : ""}`;
    },
  };
  const result = await run(`Loading ${label()} keys`, (signal) => client.listAll(options, { signal }).toArray(), {
    retry: loadKeys,
  });
  if (generation !== state.generation) return;
  progress.hidden = true;
  $("#keys-table").removeAttribute("aria-busy");
  if (!result.ok) {
    // A failed reload keeps what was shown; the error box says what happened.
    renderAll();
    return;
  }
  state.keys = result.value;
  state.changes++;
  state.loaded = true;
  state.pages = pages;
  state.usageCache.clear();
  renderAll();
  announce(`Loaded ${result.value.length} ${label()} ${result.value.length === 1 ? "key" : "keys"}.`, { tone: "ok" });
  loadUsage();
}

/** Puts a changed or new key into the list. */
function upsertKey(key, { replacedId = null } = {}) {
  state.changes++;
  const at = state.keys.findIndex((k) => k.id === key.id);
  if (at >= 0) state.keys[at] = key;
  else state.keys.unshift(key);
  if (replacedId) state.usageCache.delete(replacedId);
  state.usageCache.delete(key.id);
  renderAll();
}

// ---- rendering ----

function renderAll() {
  renderCapabilities();
  renderStats();
  renderTable();
  renderBudgets();
  renderUsage();
  const openKey = state.openKeyId && state.keys.find((k) => k.id === state.openKeyId);
  if (openKey && $("#key-dialog").open) renderKeyDialog(openKey);
}

function renderCapabilities() {
  $("#caps-provider").textContent = label();
  const list = $("#capabilities");
  list.replaceChildren(...OPERATIONS.map(([op, text]) => {
    const ok = supports(op);
    return h("li", { class: ok ? "cap yes" : "cap no", title: ok ? `${text}: offered` : reasonFor(state.provider, op) },
      h("span", { "aria-hidden": "true" }, ok ? "✓" : "✕"), " ", text,
      h("span", { class: "sr-only" }, ok ? ": offered" : `: not offered. ${reasonFor(state.provider, op)}`));
  }));
  const create = $("#create-key");
  const reason = $("#create-reason");
  const ok = supports("create");
  const why = !ok ? reasonFor(state.provider, "create") : state.client ? null : "Fix the connection settings first.";
  setAvailability(create, why === null, why);
  reason.hidden = why === null;
  reason.textContent = why ?? "";
}

/** Enabled, or disabled with `reason` as tooltip (and, via aria-describedby, as visible text). */
function setAvailability(button, ok, reason) {
  if (ok) {
    button.removeAttribute("aria-disabled");
    button.removeAttribute("title");
  } else {
    button.setAttribute("aria-disabled", "true");
    if (reason) button.title = reason;
  }
}

function isDisabled(button) {
  return button.getAttribute("aria-disabled") === "true";
}

function renderStats() {
  const keys = state.keys;
  const active = keys.filter((k) => k.status === "active").length;
  const loaded = state.loaded;
  $("#stat-total").textContent = loaded ? number(keys.length) : "—";
  $("#stat-active").textContent = loaded ? number(active) : "—";
  $("#stat-inactive").textContent = loaded ? number(keys.length - active) : "—";
  const totals = {};
  for (const k of keys) {
    const used = k.usage?.total ?? k.budget?.used;
    const unit = k.usage?.unit ?? k.budget?.unit;
    if (used !== null && used !== undefined && unit) totals[unit] = (totals[unit] ?? 0) + used;
  }
  const parts = Object.entries(totals).map(([unit, v]) => amount(v, unit, { short: true }));
  $("#stat-spend").textContent = loaded && parts.length ? parts.join(" + ") : "—";
  $("#stat-spend-note").textContent = !loaded ? "" : parts.length ? "all time, all keys" : keys.length ? `not reported by ${label()}` : "no keys yet";
  $("#count-all").textContent = loaded ? String(keys.length) : "";
  $("#count-active").textContent = loaded ? String(active) : "";
  $("#count-inactive").textContent = loaded ? String(keys.length - active) : "";
}

function renderTable() {
  // GPT Core's keys have no creation time: no column of "unknown"s, and sorting by name instead.
  const withoutCreated = state.keys.length > 0 && state.keys.every((k) => k.createdAt === null);
  const sort = withoutCreated && state.sort.column === "created" ? { column: "name", direction: "ascending" } : state.sort;
  const visible = sortKeys(filterKeys(state.keys, state.filter, state.search), sort);
  const rows = keyRows(visible.slice(0, state.shown), { onOpen: openKey, highlight: state.highlight, replaced: state.replaced });
  $("#keys-body").replaceChildren(...rows);
  $("#keys-table").classList.toggle("without-created", withoutCreated);
  for (const th of document.querySelectorAll("#keys-table th[data-sort]")) {
    if (th.dataset.sort === sort.column) th.setAttribute("aria-sort", sort.direction);
    else th.removeAttribute("aria-sort");
  }
  const empty = $("#table-empty");
  empty.hidden = visible.length > 0 || !state.loaded;
  empty.textContent = state.keys.length
    ? "No key matches the filter."
    : supports("create") ? "No keys yet. Create one to get started." : "No keys.";
  const more = $("#show-more");
  more.hidden = visible.length <= state.shown;
  more.textContent = `Show ${Math.min(PAGE_ROWS, visible.length - state.shown)} more`;
  $("#table-count").textContent = state.loaded
    ? `Showing ${Math.min(visible.length, state.shown)} of ${visible.length}${visible.length !== state.keys.length ? ` (${state.keys.length} in total)` : ""}`
    : state.client ? "" : "Not connected.";
}

function renderBudgets() {
  const box = $("#budget-chart");
  if (!state.loaded) {
    box.replaceChildren(h("p", { class: "empty" }, "Load keys to see their budgets."));
    return;
  }
  budgetChart(box, state.keys, { onSelect: openKey, budgets: supports("setBudget") });
}

// ---- usage ----

function renderUsage() {
  const controls = $("#usage-controls");
  const chart = $("#usage-chart");
  controls.replaceChildren();
  if (!state.loaded) {
    chart.replaceChildren(h("p", { class: "empty" }, "Load keys to see usage."));
    return;
  }
  const p = state.provider;
  if (p === "quantum" && supports("usage")) {
    const keys = state.keys;
    if (!keys.length) {
      chart.replaceChildren(h("p", { class: "empty" }, "No keys."));
      return;
    }
    state.usageKeyId ??= (keys.find((k) => k.status === "active" && k.lastUsedAt) ?? keys.find((k) => k.status === "active") ?? keys[0]).id;
    const select = h("select", { id: "usage-key" }, keys.map((k) => h("option", { value: k.id }, `${keyLabel(k)}${k.status !== "active" ? ` (${k.status})` : ""}`)));
    select.value = state.usageKeyId;
    select.addEventListener("change", () => {
      state.usageKeyId = select.value;
      loadUsage({ userAsked: true });
    });
    const metric = h("div", { class: "segmented small", role: "radiogroup", "aria-label": "Measure" },
      ["cost", "requests", "tokens"].map((m) => h("label", {},
        h("input", { type: "radio", name: "usage-metric", value: m, checked: state.usageMetric === m,
          onchange: () => { state.usageMetric = m; drawUsage(); } }),
        h("span", {}, m[0].toUpperCase() + m.slice(1)))));
    controls.append(h("div", { class: "field inline" }, h("label", { for: "usage-key" }, "Key"), select), metric);
    drawUsage();
  } else if (p === "gptcore" && supports("usage")) {
    state.tenantId ||= state.keys.map((k) => k.raw?.attributes?.tenant_id).find(Boolean) ?? "";
    const input = h("input", { id: "usage-tenant", type: "text", spellcheck: "false", value: state.tenantId, "aria-describedby": "usage-tenant-hint" });
    const form = h("form", { class: "inline-form", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      state.tenantId = input.value.trim();
      state.usageCache.delete(`tenant:${state.tenantId}`);
      loadUsage({ userAsked: true });
    } },
    h("div", { class: "field inline grow" }, h("label", { for: "usage-tenant" }, "Tenant ID"), input),
    h("button", { type: "submit", class: "btn" }, "Load usage"));
    controls.append(form, h("p", { class: "hint", id: "usage-tenant-hint" }, "GPT Core reports usage per tenant: credits used by each of its keys."));
    drawUsage();
  } else if (p === "openrouter") {
    controls.append(h("p", { class: "hint" }, "OpenRouter has no usage history endpoint; each key reports its spend. Bars: this month; below: today, this week, all time."));
    barList(chart, state.keys.map((k) => ({
      label: keyLabel(k),
      value: k.usage?.monthly ?? k.usage?.total ?? null,
      sub: `today ${amount(k.usage?.daily, "usd")} · this week ${amount(k.usage?.weekly, "usd")} · all time ${amount(k.usage?.total, "usd")}`,
    })), { unit: "usd", title: "Spend this month per key", empty: "No spend reported." });
  } else {
    chart.replaceChildren(h("p", { class: "empty" }, reasonFor(p, "usage")));
  }
}

function usageCacheKey() {
  return state.provider === "quantum" ? `key:${state.usageKeyId}` : `tenant:${state.tenantId}`;
}

async function loadUsage({ userAsked = false } = {}) {
  if (!state.loaded || !supports("usage")) return;
  if (state.provider === "gptcore" && !state.tenantId) return drawUsage();
  const cacheKey = usageCacheKey();
  if (state.usageCache.has(cacheKey)) return drawUsage();
  const generation = state.generation;
  const query = state.provider === "quantum" ? { keyId: state.usageKeyId } : { tenantId: state.tenantId };
  $("#usage-chart").setAttribute("aria-busy", "true");
  const result = await run("Loading usage", (signal) => state.client.usage(query, { signal }), {
    errorIn: $("#usage-error"),
    quiet: !userAsked,
    retry: () => loadUsage({ userAsked: true }),
    onValidation: (error) => {
      const input = $("#usage-tenant");
      if (!input) return false;
      input.setAttribute("aria-invalid", "true");
      $("#usage-error").replaceChildren(h("p", { class: "field-error" }, error.fields.map((f) => `Tenant ID ${f.message}.`).join(" ")));
      return true;
    },
  });
  $("#usage-chart").removeAttribute("aria-busy");
  if (generation !== state.generation) return;
  if (result.ok) {
    state.usageCache.set(cacheKey, result.value);
    $("#usage-tenant")?.removeAttribute("aria-invalid");
    if (userAsked) announce("Usage loaded.", { tone: "ok" });
  }
  drawUsage({ failed: !result.ok });
}

/** The usage panel; `failed`: the last load did not succeed (its error is shown above). */
function drawUsage({ failed = false } = {}) {
  const chart = $("#usage-chart");
  const usage = state.usageCache.get(usageCacheKey());
  if (!usage) {
    const waiting = state.provider === "gptcore" && !state.tenantId ? "Enter a tenant ID to load usage." : "Loading usage…";
    chart.replaceChildren(h("p", { class: "empty" }, failed ? "No usage to show." : waiting));
    return;
  }
  if (state.provider === "quantum") {
    const key = state.keys.find((k) => k.id === state.usageKeyId);
    const head = h("p", { class: "usage-total" },
      h("strong", {}, amount(usage.totalCost, usage.unit ?? "usd")), " and ",
      h("strong", {}, number(usage.totalRequests)), " requests over the last ", String(usage.days.length), " days");
    const box = h("div");
    chart.replaceChildren(head, box);
    if (!usage.days.length) box.append(h("p", { class: "empty" }, "No usage reported for this key."));
    else dayChart(box, usage.days, { metric: state.usageMetric, unit: usage.unit ?? "usd", title: `Usage of ${key ? keyLabel(key) : "the key"}` });
  } else {
    const head = h("p", { class: "usage-total" },
      h("strong", {}, amount(usage.totalCost, usage.unit ?? "credits")), " and ",
      h("strong", {}, number(usage.totalRequests)), " requests in total for this tenant");
    const box = h("div");
    chart.replaceChildren(head, box);
    barList(box, usage.keys.map((k) => ({
      label: keyLabel(k),
      value: k.usage?.total ?? null,
      sub: `${number(k.usage?.requests)} requests${k.status !== "active" ? ` · ${k.status}` : ""}`,
    })), { unit: usage.unit ?? "credits", title: "Credits used per key", empty: "No usage reported." });
  }
}

// ---- key details ----

async function openKey(key) {
  state.openKeyId = key.id;
  // An error shown for the key opened before is not this key's.
  $("#key-error").replaceChildren();
  renderKeyDialog(key);
  const dialog = $("#key-dialog");
  const closed = openDialog(dialog, {
    onClose: () => { state.openKeyId = null; },
    fallbackFocus: () => [...document.querySelectorAll("#keys-body tr")].find((tr) => tr.dataset.id === key.id)?.querySelector(".key-open"),
  });
  $("#key-dialog .dialog-head [data-close]").focus();
  // Fresh data where the provider can fetch one key.
  if (supports("get")) {
    const [generation, changes] = [state.generation, state.changes];
    const result = await run(`Refreshing ${keyLabel(key)}`, (signal) => state.client.get(key.id, { signal }), {
      errorIn: $("#key-error"), quiet: true,
    });
    // Not over what an action did meanwhile (a revoke, or a delete the refresh would undo).
    if (result.ok && generation === state.generation && changes === state.changes) {
      upsertKey(result.value);
      announce(`Showing ${keyLabel(result.value)}.`);
    }
  }
  if (state.provider === "quantum" && supports("usage")) loadKeyUsage(key);
  await closed;
}

function renderKeyDialog(key) {
  $("#key-title").textContent = key.name || "(unnamed key)";
  $("#key-title").title = key.name ?? "";
  $("#key-subtitle").replaceChildren(statusBadge(key.status), ` ${label()} · `, h("code", {}, key.hint ?? key.id));
  const fields = $("#key-fields");
  const row = (term, ...value) => h("div", {}, h("dt", {}, term), h("dd", {}, ...value));
  const b = key.budget;
  const u = key.usage;
  fields.replaceChildren(
    row("ID", h("code", { class: "break" }, key.id), " ", copyButton(key.id, "key ID")),
    row("Hint", key.hint ? h("code", {}, key.hint) : "—"),
    row("Status", statusBadge(key.status), stillGraced(key) ? " · replaced by a rotation, until its grace period ends" : ""),
    row("Created", fullDate(key.createdAt)),
    row("Updated", fullDate(key.updatedAt)),
    row("Last used", key.lastUsedAt ? fullDate(key.lastUsedAt) : "never"),
    row("Expires", key.expiresAt ? fullDate(key.expiresAt) : "never"),
    row("Budget", b
      ? b.limit === null
        ? `${amount(b.used ?? 0, b.unit)} used · no limit`
        : h("div", { class: "budget-cell wide" }, meter(b.limit > 0 ? (b.used ?? 0) / b.limit : 1),
          h("span", {}, `${amount(b.used ?? 0, b.unit)} of ${amount(b.limit, b.unit)}${b.period ? ` · resets ${b.period}` : " · never resets"}` +
            `${b.remaining !== null ? ` · ${amount(b.remaining, b.unit)} left` : ""}${b.resetsAt ? ` · next reset ${fullDate(b.resetsAt)}` : ""}`))
      : ["openrouter", "gptcore", "quantum"].includes(state.provider) ? "no limit" : `not offered by ${label()}`),
    row("Usage", u
      ? [
        ["today", u.daily], ["this week", u.weekly], ["this month", u.monthly], ["all time", u.total],
      ].filter(([, v]) => v !== null).map(([t, v]) => `${amount(v, u.unit)} ${t}`).join(" · ") +
        (u.requests !== null ? ` · ${number(u.requests)} requests` : "") || "—"
      : "not reported"),
    row("Rate limit", key.rateLimit ? `${number(key.rateLimit.requests)} requests per ${key.rateLimit.periodSeconds === 60 ? "minute" : `${key.rateLimit.periodSeconds} s`}` : "—"),
    row("Scopes", key.scopes?.length ? h("span", { class: "chips" }, key.scopes.map((sc) => h("code", { class: "chip" }, sc))) : "—"),
    row("Workspace", key.workspaceId ? h("code", { class: "break" }, key.workspaceId) : "—"),
  );
  $("#key-raw").textContent = json(key.raw);
  renderKeyActions(key);
  if (state.provider !== "quantum") $("#key-usage").replaceChildren();
}

let keyActionRunning = false;

/** Runs one key action at a time: a double click, or Retry while one runs, sends nothing more. */
async function oneKeyAction(run, button = null) {
  if (keyActionRunning) return;
  keyActionRunning = true;
  button?.setAttribute("aria-busy", "true");
  try {
    await run();
  } finally {
    keyActionRunning = false;
    button?.removeAttribute("aria-busy");
  }
}

function renderKeyActions(key) {
  const p = state.provider;
  const reversible = supports("enable");
  const archived = key.status === "archived";
  const active = key.status === "active";
  const actions = [
    {
      op: "update", text: "Edit", run: () => editKey(key),
      blocked: archived ? "Archived keys cannot be changed." : null,
    },
    {
      op: "revoke", text: reversible ? "Disable" : "Revoke", run: () => revokeKey(key), tone: reversible ? "" : "danger-outline",
      blocked: active ? null : `The key is already ${key.status}.`,
    },
    {
      op: "enable", text: "Enable", run: () => enableKey(key),
      blocked: archived ? "Archived keys cannot be turned back on." : key.status === "active" ? "The key is already active." : key.status === "expired" ? "Expired keys cannot be turned back on." : null,
    },
    {
      op: "rotate", text: "Rotate secret", run: () => rotateKey(key),
      blocked: stillGraced(key) ? "Already replaced by a rotation: it works until its grace period ends."
        : active ? null : "Only active keys can be rotated.",
    },
    { op: "setBudget", text: "Set budget", run: () => budgetKey(key), blocked: archived ? "Archived keys cannot be changed." : null },
    {
      op: "resetBudgetPeriod", text: "Reset budget period", run: () => resetPeriod(key),
      blocked: key.budget?.limit === null || key.budget?.limit === undefined ? "The key has no limit to reset." : null,
    },
    { op: "delete", text: "Delete", run: () => deleteKey(key), tone: "danger-outline" },
  ];
  const box = $("#key-actions");
  const focusedOp = box.contains(document.activeElement) ? document.activeElement.dataset.op : null;
  box.replaceChildren(...actions.map((a) => {
    const offered = supports(a.op);
    const reason = !offered ? reasonFor(p, a.op) : a.blocked;
    const reasonId = `action-reason-${a.op}`;
    const button = h("button", {
      type: "button", class: `btn ${a.tone ?? ""}`, dataset: { op: a.op },
      "aria-describedby": reason ? reasonId : null,
    }, a.text);
    setAvailability(button, !reason, reason);
    button.addEventListener("click", () => {
      if (!isDisabled(button)) oneKeyAction(a.run, button);
    });
    return h("div", { class: `action${reason ? " unavailable" : ""}` }, button,
      reason ? h("p", { class: "reason", id: reasonId }, reason) : null);
  }));
  if (focusedOp) box.querySelector(`[data-op="${focusedOp}"]`)?.focus();
}

async function loadKeyUsage(key) {
  const box = $("#key-usage");
  const cacheKey = `key:${key.id}`;
  box.replaceChildren(h("h3", { class: "section-title" }, "Usage, last days"), h("div", { id: "key-usage-chart" }, h("p", { class: "empty" }, "Loading usage…")));
  let usage = state.usageCache.get(cacheKey);
  if (!usage) {
    const result = await run("Loading usage", (signal) => state.client.usage({ keyId: key.id }, { signal }), { errorIn: $("#key-error"), quiet: true });
    if (!result.ok) {
      box.replaceChildren();
      return;
    }
    usage = result.value;
    state.usageCache.set(cacheKey, usage);
  }
  const target = $("#key-usage-chart");
  if (!target || state.openKeyId !== key.id) return;
  if (!usage.days.length) target.replaceChildren(h("p", { class: "empty" }, "No usage reported."));
  else dayChart(target, usage.days, { metric: "cost", unit: usage.unit ?? "usd", title: `Usage of ${keyLabel(key)}` });
}

// ---- forms ----

/**
 * Opens the form dialog with `specs`; on submit runs `action(input, signal)`. Validation
 * problems from the library appear next to their inputs. Resolves with the action's value
 * (or undefined when cancelled).
 */
function formDialog({ title, intro, specs, key = null, submitText, working, action, changedOnly = false, danger = false }) {
  const dialog = $("#form-dialog");
  const form = $("#form-dialog-form");
  const container = $("#form-fields");
  const errorIn = $("#form-error");
  const submit = $("#form-submit");
  $("#form-title").textContent = title;
  $("#form-intro").textContent = intro ?? "";
  container.replaceChildren();
  errorIn.replaceChildren();
  submit.textContent = submitText;
  submit.className = danger ? "btn danger" : "btn primary";
  const fields = buildFields(container, specs, "f", key);
  let value;
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (submit.getAttribute("aria-busy") === "true") return;
    fields.clearErrors();
    errorIn.replaceChildren();
    const input = fields.read({ changedOnly });
    if (changedOnly && !Object.keys(input).length) {
      errorIn.replaceChildren(h("p", { class: "note", role: "status" }, "Nothing changed."));
      return;
    }
    // A reset period with no limit would be sent and do nothing: say so instead
    // (create forms: `budget.period`; the budget form: `period` with `limit` null).
    if (!changedOnly && input.budget?.period && input.budget.limit === undefined) {
      fields.showErrors([{ field: "budget.period", message: "needs a limit to reset: set one, or leave this empty" }]);
      return;
    }
    // The budget form: an emptied limit removes it ("Leave empty to remove the limit"),
    // and its reset period with it, rather than refusing the period shown from before.
    if (!changedOnly && "period" in input && input.limit === null) input.period = null;
    submit.setAttribute("aria-busy", "true");
    submit.textContent = `${working}…`;
    const result = await run(working, (signal) => action(input, signal), {
      errorIn,
      onValidation: (error) => {
        const unmatched = fields.showErrors(error.fields ?? []);
        if (unmatched.length) {
          errorIn.replaceChildren(h("div", { class: "error-box", role: "alert" },
            h("p", { class: "error-title" }, "Please correct:"),
            h("ul", { class: "error-fields" }, unmatched.map((f) => h("li", {}, h("code", {}, f.field || "input"), " ", f.message)))));
        }
        return true;
      },
    });
    submit.removeAttribute("aria-busy");
    submit.textContent = submitText;
    if (result.ok) {
      value = result.value;
      dialog.close("done");
    } else if (mayHaveHappened(result.error)) {
      // The provider may have done it (a key minted, a secret rotated) with its answer lost:
      // show the list as it is now, so a key nobody saw the secret of is visible.
      loadKeys();
    }
  };
  return openDialog(dialog, {
    onClose: () => { form.onsubmit = null; container.replaceChildren(); },
    // Closing while the call runs could lose a new secret: wait for the answer, but let
    // Cancel stop the call (the header's Cancel is behind the modal).
    canClose: () => submit.getAttribute("aria-busy") !== "true",
    onBusyClose: cancelRunning,
  }).then(() => value);
}

/** Shows a new secret once. Nothing keeps it after the dialog closes. */
async function showSecret(created, { title, note }) {
  const dialog = $("#secret-dialog");
  const output = $("#secret-value");
  const copy = $("#secret-copy");
  $("#secret-title").textContent = title;
  $("#secret-key-name").textContent = keyName(created.key);
  $("#secret-note").textContent = note ?? "";
  $("#secret-copied").textContent = "";
  output.textContent = created.secret;
  const onCopy = async () => {
    const ok = await copyText(output.textContent);
    $("#secret-copied").textContent = ok ? "Copied to the clipboard." : "Could not copy: select the secret and copy it by hand.";
    if (!ok) {
      const range = document.createRange();
      range.selectNodeContents(output);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
  };
  copy.addEventListener("click", onCopy);
  await openDialog(dialog, {
    backdropCloses: false,
    // One keypress must not throw away a secret shown once.
    onEscape: () => {
      $("#secret-copied").textContent = "The secret is shown only once: copy it, then press “I have stored it, close”.";
    },
    onClose: () => {
      output.textContent = "";
      $("#secret-copied").textContent = "";
      getSelection().removeAllRanges();
      copy.removeEventListener("click", onCopy);
    },
  });
  announce("The secret was cleared from the page.");
}

async function createKey() {
  if (!state.client || !supports("create")) return;
  const specs = CREATE_FIELDS[state.provider] ?? [{ path: "name", label: "Name", kind: "text" }];
  const created = await formDialog({
    title: `Create a ${label()} key`,
    intro: "The secret is shown once after creation.",
    specs,
    submitText: "Create key",
    working: "Creating the key",
    action: (input, signal) => state.client.create(input, { signal }),
  });
  if (!created) return;
  const secretHolder = { key: created.key, secret: created.secret };
  state.highlight = created.key.id;
  // The new key is shown whatever filter or search hid it.
  state.filter = "all";
  document.querySelector("input[name=filter][value=all]").checked = true;
  state.search = "";
  $("#search").value = "";
  upsertKey(created.key);
  announce(`Created ${keyLabel(created.key)}.`, { tone: "ok" });
  await showSecret(secretHolder, { title: "Your new key", note: null });
  secretHolder.secret = null;
}

async function editKey(key) {
  const specs = UPDATE_FIELDS[state.provider];
  if (!specs) return;
  const updated = await formDialog({
    title: `Edit ${keyLabel(key)}`,
    intro: "Only the fields you change are sent.",
    specs, key, changedOnly: true,
    submitText: "Save changes",
    working: "Saving",
    action: (patch, signal) => state.client.update(key.id, patch, { signal }),
  });
  if (updated) {
    upsertKey(updated);
    announce(`Saved ${keyLabel(updated)}.`, { tone: "ok" });
  }
}

async function revokeKey(key) {
  const reversible = supports("enable");
  if (!reversible) {
    const ok = await confirmDialog({
      title: `Revoke ${keyLabel(key)}?`,
      body: [`Anything using this key stops working at once. ${PROVIDERS[state.provider].label} cannot turn a revoked key back on.`],
      confirm: "Revoke key", danger: true,
    });
    if (!ok) return;
  }
  const verb = reversible ? "Disabling" : "Revoking";
  const result = await run(`${verb} ${keyLabel(key)}`, (signal) => state.client.revoke(key.id, { signal }), {
    errorIn: $("#key-error"), retry: () => oneKeyAction(() => revokeKey(key)),
  });
  if (result.ok) {
    // Quantum AI answers a revoke with a stub (id and status only): keep what we knew.
    const fresh = result.value;
    const stub = fresh.name === null && fresh.hint === null && fresh.createdAt === null;
    const merged = stub ? { ...(state.keys.find((k) => k.id === key.id) ?? key), status: fresh.status } : fresh;
    upsertKey(merged);
    announce(`${keyLabel(merged)} is now ${merged.status}.`, { tone: "ok" });
  }
}

async function enableKey(key) {
  const result = await run(`Enabling ${keyLabel(key)}`, (signal) => state.client.enable(key.id, { signal }), {
    errorIn: $("#key-error"), retry: () => oneKeyAction(() => enableKey(key)),
  });
  if (result.ok) {
    upsertKey(result.value);
    announce(`${keyLabel(result.value)} is now ${result.value.status}.`, { tone: "ok" });
  }
}

/** A key a rotation replaced that still works (Quantum AI's grace period). */
const stillGraced = (key) => state.replaced.has(key.id) && key.status === "active";

async function rotateKey(key) {
  const specs = ROTATE_FIELDS[state.provider] ?? [];
  let graceSeconds = 0;
  const created = await formDialog({
    title: `Rotate ${keyLabel(key)}?`,
    intro: state.provider === "quantum"
      ? "A new secret replaces this one; the old secret keeps working for the grace period you give, so clients can switch (none: it stops at once)."
      : "A new secret replaces this one: the current secret stops working at once.",
    specs,
    submitText: "Rotate secret",
    working: "Rotating",
    danger: true,
    action: (options, signal) => {
      graceSeconds = Number(options.graceSeconds ?? 0);
      return state.client.rotate(key.id, options, { signal });
    },
  });
  if (!created) return;
  const holder = { key: created.key, secret: created.secret };
  // Quantum AI: a new key, the old one working until its grace period ends.
  const newKey = Boolean(created.replacedKeyId) && created.replacedKeyId !== created.key.id;
  state.highlight = created.key.id;
  const graceful = newKey && graceSeconds > 0;
  if (graceful) state.replaced.add(created.replacedKeyId);
  upsertKey(created.key, { replacedId: created.replacedKeyId });
  if (newKey) state.openKeyId = created.key.id;
  announce(`Rotated ${keyLabel(created.key)}.`, { tone: "ok" });
  await showSecret(holder, {
    title: "The new secret",
    note: graceful
      ? `The key got a new ID; the old one (${created.replacedKeyId}) stops working in ${number(graceSeconds)} s, when its grace period ends.`
      : newKey
        ? `The key got a new ID; the old one (${created.replacedKeyId}) no longer works.`
        : "The previous secret no longer works.",
  });
  holder.secret = null;
  if (newKey) {
    $("#key-dialog").close();
    await loadKeys();
    // The row that opened the drawer was re-rendered: focus the new key's.
    document.querySelector(`#keys-body tr[data-id="${CSS.escape(created.key.id)}"] .key-open`)?.focus();
  }
}

async function budgetKey(key) {
  const updated = await formDialog({
    title: `Budget of ${keyLabel(key)}`,
    intro: "Set how much this key may spend.",
    specs: budgetFields(state.provider, key), key,
    submitText: "Save budget",
    working: "Saving the budget",
    action: (budget, signal) => state.client.setBudget(key.id, budget, { signal }),
  });
  if (updated) {
    upsertKey(updated);
    announce(`Budget of ${keyLabel(updated)} saved.`, { tone: "ok" });
  }
}

async function resetPeriod(key) {
  const ok = await confirmDialog({
    title: `Reset the budget period of ${keyLabel(key)}?`,
    body: ["The spend counted towards the limit starts again from zero now."],
    confirm: "Reset period",
  });
  if (!ok) return;
  const result = await run("Resetting the budget period", (signal) => state.client.resetBudgetPeriod(key.id, {}, { signal }), {
    errorIn: $("#key-error"),
  });
  if (result.ok) {
    upsertKey(result.value);
    announce(`Budget period of ${keyLabel(result.value)} reset.`, { tone: "ok" });
  }
}

async function deleteKey(key) {
  const ok = await confirmDialog({
    title: `Delete ${keyLabel(key)}?`,
    body: [
      h("p", {}, "This deletes the key for good. Anything using it stops working and it cannot be restored."),
      h("p", {}, h("code", { class: "break" }, key.hint ?? key.id)),
    ],
    confirm: "Delete key", danger: true,
  });
  if (!ok) return;
  const result = await run(`Deleting ${keyLabel(key)}`, (signal) => state.client.delete(key.id, { signal }), {
    errorIn: $("#key-error"), retry: () => oneKeyAction(() => deleteKey(key)),
  });
  // "Not found": the key is gone already (deleted elsewhere), as asked.
  const gone = !result.ok && result.error instanceof NotFoundError;
  if (result.ok || gone) {
    $("#key-error").replaceChildren();
    state.keys = state.keys.filter((k) => k.id !== key.id);
    state.changes++;
    $("#key-dialog").close();
    renderAll();
    announce(gone ? `${keyLabel(key)} was already deleted.` : `Deleted ${keyLabel(key)}.`, { tone: "ok" });
  }
}

// ---- sandbox tools ----

async function sandbox(method, route, body) {
  const response = await fetch(`/_sandbox/${route}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox ${route}: HTTP ${response.status}`);
  return response.json().catch(() => null);
}

const FAULTS = {
  ratelimit: { times: 3, fault: { status: 429, retryAfter: "3" }, text: "The next call is rate limited (the library retries twice, then reports it)." },
  server: { times: 3, fault: { status: 503 }, text: "The next call fails with 503 (after the library's retries)." },
  slow: { times: 1, fault: { delayMs: 3000 }, text: "The next call takes 3 s: try Cancel." },
};

async function injectFault(name) {
  const { times, fault, text } = FAULTS[name];
  try {
    await sandbox("POST", "faults", { provider: state.provider, times, fault });
    announce(`${text} Reload or act on a key to see it.`, { tone: "warn" });
  } catch (error) {
    announce(`Sandbox: ${error.message}`, { tone: "error" });
  }
}

// ---- wiring ----

function wire() {
  $("#provider-tabs").addEventListener("change", (event) => {
    if (event.target.name === "provider") selectProvider(event.target.value);
  });
  $("#connection-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (connect()) loadKeys();
  });
  $("#toggle-key").addEventListener("click", () => {
    const input = $("#management-key");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    $("#toggle-key").textContent = show ? "Hide" : "Show";
    $("#toggle-key").setAttribute("aria-pressed", String(show));
  });
  $("#cancel-op").addEventListener("click", cancelRunning);
  $("#reload").addEventListener("click", () => loadKeys());
  $("#create-key").addEventListener("click", () => {
    if (!isDisabled($("#create-key"))) createKey();
  });
  for (const input of document.querySelectorAll("input[name=filter]")) {
    input.addEventListener("change", () => {
      state.filter = input.value;
      state.shown = PAGE_ROWS;
      renderTable();
    });
  }
  $("#search").addEventListener("input", (event) => {
    state.search = event.target.value;
    state.shown = PAGE_ROWS;
    renderTable();
  });
  for (const th of document.querySelectorAll("#keys-table th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => {
      const column = th.dataset.sort;
      const same = state.sort.column === column;
      state.sort = { column, direction: same && state.sort.direction === "descending" ? "ascending" : same ? "descending" : column === "name" ? "ascending" : "descending" };
      renderTable();
      announce(`Sorted by ${th.textContent.trim()}, ${state.sort.direction}.`);
    });
  }
  $("#show-more").addEventListener("click", () => {
    const firstNew = state.shown;
    state.shown += PAGE_ROWS;
    renderTable();
    // The button may hide with the last rows: focus the first row it revealed.
    document.querySelectorAll("#keys-body tr")[firstNew]?.querySelector(".key-open")?.focus();
  });
  for (const button of document.querySelectorAll("[data-fault]")) {
    button.addEventListener("click", () => injectFault(button.dataset.fault));
  }
  $("#sandbox-reset").addEventListener("click", async () => {
    const ok = await confirmDialog({ title: "Reset the sandbox?", body: ["Every provider goes back to its four seed keys; faults are cleared."], confirm: "Reset", danger: true });
    if (!ok) return;
    try {
      await sandbox("POST", "reset");
      await loadKeys();
    } catch (error) {
      announce(`Sandbox: ${error.message}`, { tone: "error" });
    }
  });
  window.addEventListener("hashchange", () => {
    const name = location.hash.slice(1);
    if (PROVIDERS[name] && name !== state.provider) selectProvider(name);
  });
  let resizeTimer = 0;
  let lastWidth = window.innerWidth;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (window.innerWidth === lastWidth) return;
      lastWidth = window.innerWidth;
      if (state.usageCache.size) drawUsage();
    }, 150);
  });
}

async function start() {
  wire();
  // Connection settings start folded at phone width and are always open on wider screens.
  const wide = matchMedia("(min-width: 721px)");
  const details = $("#connection-details");
  details.open = wide.matches;
  wide.addEventListener("change", () => {
    if (wide.matches) details.open = true;
  });
  try {
    // A sandbox answers at once; without one, the page must not wait long to be usable.
    const response = await fetch("/_sandbox/info", { headers: { accept: "application/json" }, signal: AbortSignal.timeout(3000) });
    if (response.ok) state.info = await response.json();
  } catch {
    state.info = null;
  }
  $("#sandbox-tools").hidden = !state.info;
  const fromHash = location.hash.slice(1);
  announce(state.info ? "Connected to the local sandbox." : "Enter a base URL and management key.");
  state.ready = true;
  // A tab picked while the defaults were on their way wins over the address's.
  const picked = document.querySelector("input[name=provider]:checked")?.value;
  const name = picked ?? (PROVIDER_NAMES.includes(fromHash) ? fromHash : "openrouter");
  keepTyped(name);
  selectProvider(name);
}

/** What was typed in the connection fields before start() was ready wins over the defaults. */
function keepTyped(name) {
  const conn = connectionFor(name);
  conn.baseUrl = $("#base-url").value.trim() || conn.baseUrl;
  conn.apiKey = $("#management-key").value || conn.apiKey;
}

start();

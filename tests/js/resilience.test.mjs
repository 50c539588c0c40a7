// Retries, timeouts, cancellation, custom fetch, paging guards and secret hygiene of the
// installed package, against the sandbox's fault injection.
import { test, before, after, beforeEach } from "node:test";
import { createServer } from "node:net";
import assert from "node:assert/strict";
import { importPackage } from "./support/install.mjs";
import { startSandbox } from "./support/sandbox.mjs";

let lib;
let sandbox;

before(async () => {
  [lib, sandbox] = await Promise.all([importPackage(), startSandbox()]);
});
after(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const openrouter = (extra = {}) => new lib.ApiKeys({ ...sandbox.options("openrouter"), ...extra });
const count = async (provider) => (await sandbox.keys(provider)).count;
const rejection = (promise) => promise.then(() => assert.fail("should reject"), (e) => e);
/** OpenRouter's wire form of key `n`, for canned pages. */
const raw = (n) => ({ hash: `h${n}`, name: `k${n}`, label: "sk-or-v1-abc...def", disabled: false, usage: 0 });

/** Waits until the sandbox holds `expected` keys (a delayed request lands after the client gave up). */
async function settledCount(provider, expected) {
  const deadline = Date.now() + 3000;
  let now = await count(provider);
  while (now !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = await count(provider);
  }
  return now;
}

test("a create is never sent twice after a server error, a dropped connection or a timeout", async () => {
  const keys = openrouter({ maxRetries: 3 });
  const before = await count("openrouter");
  const cases = [
    [{ status: 503 }, lib.ServerError],
    [{ drop: "after" }, lib.NetworkError],
    [{ delayMs: 600 }, lib.TimeoutError],
  ];
  let expected = before;
  for (const [fault, Class] of cases) {
    await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault });
    const error = await rejection(keys.create({ name: `faulted-${JSON.stringify(fault)}` }, { timeoutMs: 300 }));
    assert.ok(error instanceof Class, `${JSON.stringify(fault)} -> ${error.name}: ${error.message}`);
    if (fault.status === undefined) expected += 1; // drop-after and delay: the server did mint it, once
    assert.equal(await settledCount("openrouter", expected), expected, `exactly one attempt for ${JSON.stringify(fault)}`);
  }
  await sandbox.clearFaults();
});

test("a create that ends unsure says so; a NetworkError says why the connection failed, with its system code", async () => {
  const keys = openrouter({ maxRetries: 3 });
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { drop: "after" } });
  const dropped = await rejection(keys.create({ name: "maybe-minted" }));
  assert.ok(dropped instanceof lib.NetworkError, `${dropped}`);
  assert.match(dropped.message, /not retried, since the server may have carried it out: list the keys to check/);
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { status: 400 } });
  const refused = await rejection(keys.create({ name: "refused" }));
  assert.doesNotMatch(refused.message, /not retried/, "a 4xx says the server did nothing");
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  const unreachable = new lib.ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-x", baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 0 });
  const refusedConnection = await rejection(unreachable.list());
  assert.ok(refusedConnection instanceof lib.NetworkError, `${refusedConnection}`);
  assert.match(refusedConnection.message, /^no complete response arrived: fetch failed: connect ECONNREFUSED/);
  assert.equal(refusedConnection.code, "ECONNREFUSED");
  assert.doesNotMatch(refusedConnection.message, /not retried/, "a list is retried when asked to");
  const events = [];
  const neverSentTo = new lib.ApiKeys({ ...unreachable.toJSON(), apiKey: "sk-or-v1-x", maxRetries: 1, logger: (e) => events.push(e) });
  const neverSent = await rejection(neverSentTo.create({ name: "x" }));
  assert.ok(neverSent instanceof lib.NetworkError, `${neverSent}`);
  assert.doesNotMatch(neverSent.message, /not retried/, "no connection, nothing sent");
  assert.equal(events.filter((e) => e.type === "request").length, 2, "so even a create is tried again");
  let reads = 0;
  const shifty = Object.defineProperty(new Error("x"), "message", { get: () => (++reads % 2 ? "text" : { not: "a string" }) });
  const odd = new lib.ApiKeys({ ...sandbox.options("openrouter"), maxRetries: 0, fetch: () => Promise.reject(shifty) });
  assert.ok((await rejection(odd.list())) instanceof lib.NetworkError, "a thrown value whose getters change is described, not a hang");
  await sandbox.clearFaults();
});

test("an AbortError keeps the signal's reason as its cause", async () => {
  const keys = openrouter();
  const reason = new Error("the user left");
  const error = await rejection(keys.list({}, { signal: AbortSignal.abort(reason) }));
  assert.ok(error instanceof lib.AbortError, `${error}`);
  assert.equal(error.cause, reason);
  const expired = AbortSignal.timeout(1);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const timedOut = await rejection(keys.list({}, { signal: expired }));
  assert.ok(timedOut instanceof lib.AbortError, `${timedOut}`);
  assert.equal(timedOut.cause?.name, "TimeoutError", "AbortSignal.timeout's reason");
});

test("a create aborted after it was sent says it may have been carried out; aborted before, or a get, does not", async () => {
  const keys = openrouter();
  const before = await count("openrouter");
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { delayMs: 300 } });
  const inFlight = await rejection(keys.create({ name: "aborted-in-flight" }, { signal: AbortSignal.timeout(100) }));
  assert.ok(inFlight instanceof lib.AbortError, `${inFlight}`);
  assert.match(inFlight.message, /aborted by the caller's AbortSignal; the server may have carried it out before the abort: list the keys to check$/);
  assert.equal(await settledCount("openrouter", before + 1), before + 1, "the sandbox did mint it");
  const notSent = await rejection(keys.create({ name: "never-sent" }, { signal: AbortSignal.abort() }));
  assert.equal(notSent.message, "the request was aborted by the caller's AbortSignal");
  const [id] = (await keys.list()).items.map((k) => k.id);
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { delayMs: 300 } });
  const get = await rejection(keys.get(id, { signal: AbortSignal.timeout(100) }));
  assert.equal(get.message, "the request was aborted by the caller's AbortSignal", "a get changes nothing");
  assert.equal(await count("openrouter"), before + 1);
});

test("a create is retried after a 429, honouring Retry-After, and mints exactly one key", async () => {
  const keys = openrouter();
  const before = await count("openrouter");
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { status: 429, retryAfter: "1" } });
  const events = [];
  const logged = openrouter({ logger: (e) => events.push(e) });
  const started = Date.now();
  const created = await logged.create({ name: "after-429" });
  assert.ok(Date.now() - started >= 900, "waited about the Retry-After second");
  assert.ok(created.secret.startsWith("sk-or-v1-"));
  assert.equal(await count("openrouter"), before + 1);
  const retry = events.find((e) => e.type === "retry");
  assert.equal(retry.reason, "HTTP 429");
  assert.equal(retry.delayMs, 1000);
  void keys;
});

test("a create answered 408 (the server never had the whole request) is sent again and mints one key", async () => {
  const keys = openrouter();
  const before = await count("openrouter");
  await sandbox.fault({ provider: "openrouter", method: "POST", times: 1, fault: { status: 408 } });
  const created = await keys.create({ name: "after-408" }, { maxRetryDelayMs: 50 });
  assert.ok(created.secret.startsWith("sk-or-v1-"));
  assert.equal(await count("openrouter"), before + 1);
});

test("idempotent requests are retried through 5xx and dropped connections", async () => {
  const keys = openrouter({ maxRetries: 2 });
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { status: 502 } });
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { drop: "before" } });
  const page = await keys.list({}, { maxRetryDelayMs: 50 });
  assert.ok(page.items.length > 0);
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 3, fault: { status: 503 } });
  const error = await rejection(keys.list({}, { maxRetries: 2 }));
  assert.ok(error instanceof lib.ServerError);
  assert.equal(error.status, 503);
  await sandbox.clearFaults();
});

test("a delete whose answer was lost, retried, finds the key gone and resolves; a first 404 still rejects", async () => {
  const keys = openrouter({ maxRetries: 2 });
  const { key: created } = await keys.create({ name: "deleted-twice" });
  await sandbox.fault({ provider: "openrouter", method: "DELETE", times: 1, fault: { drop: "after" } });
  const events = [];
  const logged = openrouter({ logger: (e) => events.push(e), maxRetryDelayMs: 50 });
  assert.equal(await logged.delete(created.id), undefined);
  assert.deepEqual(events.filter((e) => e.type === "response").map((e) => e.status), [404], "the retry was answered 404");
  assert.ok(events.some((e) => e.type === "retry"), "the lost answer was retried");
  const again = await rejection(keys.delete(created.id));
  assert.ok(again instanceof lib.NotFoundError, `${again}`);
  await sandbox.clearFaults();
});

test("an absurd Retry-After falls back to the computed backoff", async () => {
  const keys = openrouter({ maxRetries: 1, maxRetryDelayMs: 2000 });
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { status: 429, retryAfter: "86400" } });
  const started = Date.now();
  await keys.list();
  assert.ok(Date.now() - started < 2000, "did not wait a day");
});

test("each attempt gets a fresh timer: a slow first attempt times out, the retry succeeds", async () => {
  const keys = openrouter({ maxRetries: 1 });
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { delayMs: 1500 } });
  const page = await keys.list({}, { timeoutMs: 400 });
  assert.ok(page.items.length > 0);
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { delayMs: 1500 } });
  const error = await rejection(keys.list({}, { timeoutMs: 300, maxRetries: 0 }));
  assert.ok(error instanceof lib.TimeoutError && !(error instanceof lib.AbortError));
  await sandbox.clearFaults();
});

test("timeouts share one timer: a short one fires on time beside a long one, and an idle client does not keep Node running", async () => {
  const hang = (url, init) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal.reason)));
  const keys = openrouter({ fetch: hang, maxRetries: 0 });
  const long = rejection(keys.get("k-long", { timeoutMs: 4000 }));
  const started = Date.now();
  const short = await rejection(keys.get("k-short", { timeoutMs: 100 }));
  assert.ok(short instanceof lib.TimeoutError, String(short));
  assert.ok(Date.now() - started < 1500, `the 100 ms timeout fired after ${Date.now() - started} ms`);
  const second = await rejection(keys.get("k-short", { timeoutMs: 50 }));
  assert.ok(second instanceof lib.TimeoutError, "a later, shorter deadline re-arms the timer");
  assert.ok((await long) instanceof lib.TimeoutError);
  assert.ok(Date.now() - started >= 3900, "the long timeout waited its time");

  const script = `const { ApiKeys } = await import(${JSON.stringify(new URL("../../pkg/node.js", import.meta.url).href)});
    const keys = new ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-mgmt-abcdefabcdef0123456789",
      fetch: async () => new Response('{"data":{"hash":"abc","label":"x","disabled":false}}') });
    await keys.get("abc");`;
  const { spawnSync } = await import("node:child_process");
  const begun = Date.now();
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(Date.now() - begun < 10_000, `Node ran ${Date.now() - begun} ms after the call: the 60 s timeout timer kept it alive`);
});

test("an AbortSignal stops the request and the backoff sleep at once", async () => {
  const keys = openrouter({ maxRetries: 3 });
  await sandbox.fault({ provider: "openrouter", method: "GET", times: 1, fault: { delayMs: 3000 } });
  let controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  let started = Date.now();
  let error = await rejection(keys.list({}, { signal: controller.signal }));
  assert.ok(error instanceof lib.AbortError && !(error instanceof lib.TimeoutError), error.name);
  assert.ok(Date.now() - started < 1500);

  await sandbox.fault({ provider: "openrouter", method: "GET", times: 5, fault: { status: 429, retryAfter: "30" } });
  controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  started = Date.now();
  error = await rejection(keys.list({}, { signal: controller.signal }));
  assert.ok(error instanceof lib.AbortError);
  assert.ok(Date.now() - started < 1500, "the 30 s backoff was cut short");

  const aborted = AbortSignal.abort();
  assert.ok((await rejection(keys.list({}, { signal: aborted }))) instanceof lib.AbortError);
  await sandbox.clearFaults();
});

test("a custom fetch is called without `this` and without RequestInit fields workerd rejects", async () => {
  const seen = [];
  const keys = openrouter({
    fetch: function (url, init) {
      "use strict";
      seen.push({ self: this, keys: Object.keys(init).sort(), url });
      return fetch(url, init);
    },
  });
  await keys.list();
  await keys.list({}, { signal: new AbortController().signal });
  assert.equal(seen.length, 2);
  assert.equal(seen[0].self, undefined);
  const init = ["headers", "method", "redirect", "signal"]; // redirect: "manual" (README: redirects)
  assert.deepEqual(seen[0].keys, init, "a signal of its own, which a timeout aborts (README: timeouts)");
  assert.deepEqual(seen[1].keys, init);
});

test("a fetch that gives Response.error() or no Response fails as a NetworkError, not as a redirect", async () => {
  // A Response subclass whose status is no HTTP status (a test double gone wrong).
  const lying = (status) => new (class extends Response { get status() { return status; } })("{}");
  const cases = [[Response.error(), /Response\.error\(\)/], [{ status: 200 }, /did not return a Response/]];
  for (const status of [NaN, -1, "abc", 70200, 1e10, 199]) cases.push([lying(status), /status is not an HTTP status/]);
  for (const [given, reason] of cases) {
    const keys = openrouter({ maxRetries: 0, fetch: async () => given });
    const error = await rejection(keys.get("h1"));
    assert.ok(error instanceof lib.NetworkError, `${error.name}: ${error.message}`);
    assert.match(error.message, reason);
  }
});

test("each request gets its own headers object: a fetch that changes one does not change the next request", async () => {
  const sent = [];
  const keys = openrouter({
    headers: { "x-team": "blue" },
    fetch: (url, init) => {
      sent.push({ ...init.headers });
      const response = fetch(url, init);
      init.headers["x-team"] = "changed by fetch";
      delete init.headers.authorization;
      return response;
    },
  });
  await keys.list();
  await keys.list();
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1], sent[0]);
  assert.equal(sent[1]["x-team"], "blue");
  assert.match(sent[1].authorization, /^Bearer /);
});

test("a timeout rejects on time and aborts the request, with or without the caller's signal", async () => {
  const inits = [];
  let cancelled = 0;
  const late = (url, init) => {
    inits.push(init);
    const body = new ReadableStream({ cancel: () => void cancelled++ });
    return new Promise((resolve) => setTimeout(() => resolve(new Response(body)), 400));
  };
  const keys = openrouter({ fetch: late, maxRetries: 0 });
  let started = Date.now();
  let error = await rejection(keys.get("abc", { timeoutMs: 100 }));
  assert.ok(error instanceof lib.TimeoutError, error.name);
  assert.ok(Date.now() - started < 350, "rejected at the timeout, not when the response came");
  assert.ok(inits[0].signal.aborted, "the timeout aborts the request itself");
  const deadline = Date.now() + 3000;
  while (cancelled === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(cancelled, 1, "a response that comes anyway (this fetch ignores its signal) is cancelled unread");

  started = Date.now();
  error = await rejection(keys.get("abc", { timeoutMs: 100, signal: new AbortController().signal }));
  assert.ok(error instanceof lib.TimeoutError, error.name);
  assert.ok(Date.now() - started < 350);
  assert.ok(inits[1].signal.aborted, "with a signal, the timeout aborts the request itself");
});

test("a redirect is reported, never followed: the key's header reaches no other place", async () => {
  const http = await import("node:http");
  const elsewhere = [];
  const other = http.createServer((req, res) => {
    elsewhere.push(req.headers);
    res.end("{}");
  });
  const api = http.createServer((req, res) => {
    const port = other.address().port;
    res.writeHead(req.method === "POST" ? 307 : 301, { location: `http://127.0.0.1:${port}${req.url}?echo=${encodeURIComponent(key)}` });
    res.end();
  });
  const key = "MgmtKeyRedirected0123456789/+=";
  await Promise.all([api, other].map((server) => new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))));
  try {
    const baseUrl = `http://127.0.0.1:${api.address().port}`;
    for (const provider of ["quantum", "anthropic", "fluxbase", "openrouter", "gptcore"]) {
      const keys = new lib.ApiKeys({ ...sandbox.options(provider), apiKey: key, baseUrl, maxRetries: 2 });
      for (const op of ["list", "create"]) {
        if (!keys.supports(op)) continue;
        const error = await rejection(op === "list" ? keys.list() : keys.create({ name: "moved", ...(provider === "fluxbase" && { scopes: ["*"] }) }));
        assert.equal(error.constructor, lib.ApiKeysError, `${provider} ${op}: ${error.name}: ${error.message}`);
        assert.match(error.message, /^the server redirects \(HTTP 30[17]\) to http:\/\/127\.0\.0\.1:\d+\/\S*echo=\[redacted\], which is not followed, since the request would carry the key there: check baseUrl/, provider);
        assert.ok(!error.message.includes(encodeURIComponent(key)) && !error.message.includes(key), error.message);
      }
    }
    assert.deepEqual(elsewhere, [], "no request reached the place the redirect pointed to");
  } finally {
    await Promise.all([api, other].map((server) => new Promise((resolve) => server.close(resolve))));
  }
});

test("a timeout also cancels a body still coming, and closes a request still waiting for its headers", async () => {
  const http = await import("node:http");
  let closedAfterMs = null;
  let silentClosedAfterMs = null;
  const server = http.createServer((req, res) => {
    const started = Date.now();
    if (req.url.includes("/keys/silent")) {
      // Never answers: only the client can end this request (Node would stay up for it).
      res.on("close", () => (silentClosedAfterMs = Date.now() - started));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"data":[');
    const drip = setInterval(() => res.write(" "), 50);
    const done = setTimeout(() => res.end("]}"), 3000);
    res.on("close", () => {
      closedAfterMs = Date.now() - started;
      clearInterval(drip);
      clearTimeout(done);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const keys = new lib.ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-test", baseUrl: `http://127.0.0.1:${server.address().port}`, maxRetries: 0 });
    const error = await rejection(keys.list({}, { timeoutMs: 300 }));
    assert.ok(error instanceof lib.TimeoutError, error.name);
    const deadline = Date.now() + 2500;
    while (closedAfterMs === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(closedAfterMs !== null && closedAfterMs < 1500, `the connection closed after ${closedAfterMs} ms, not when the body ended`);
    const silent = await rejection(keys.get("silent", { timeoutMs: 300 }));
    assert.ok(silent instanceof lib.TimeoutError, silent.name);
    const silentDeadline = Date.now() + 2500;
    while (silentClosedAfterMs === null && Date.now() < silentDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(silentClosedAfterMs !== null && silentClosedAfterMs < 1500, `the silent request was closed after ${silentClosedAfterMs} ms`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a fetch that calls the library again runs after the method returned, so it cannot nest without end", async () => {
  let again = null;
  let calls = 0;
  const keys = openrouter({
    fetch: (url, init) => {
      calls++;
      again ??= keys.list(); // a guard set by the call's return value, as token refreshers do
      return fetch(url, init);
    },
  });
  await keys.list();
  await again;
  assert.equal(calls, 2);
});

test("a call aborted before it starts logs no request", async () => {
  const events = [];
  const keys = openrouter({ logger: (e) => events.push(e) });
  const error = await rejection(keys.list({}, { signal: AbortSignal.abort() }));
  assert.ok(error instanceof lib.AbortError);
  assert.deepEqual(events.filter((e) => e.type === "request"), []);
});

test("bodies are decoded as fetch's text() does: a BOM dropped, invalid UTF-8 replaced, in the key and in raw", async () => {
  const key = '{"hash":"h1","name":"caf\xff","label":"sk-or-v1-abc...def","disabled":false}';
  const bytes = (json) => Uint8Array.from([0xef, 0xbb, 0xbf, ...Array.from(json, (c) => c.charCodeAt(0))]);
  const reply = (json) => async () => new Response(bytes(json), { headers: { "content-type": "application/json" } });
  const one = await openrouter({ fetch: reply(`{"data":${key}}`) }).get("h1");
  assert.equal(one.name, "caf\ufffd");
  assert.equal(one.raw.name, "caf\ufffd");
  const page = await openrouter({ fetch: reply(`{"data":[${key}]}`) }).list();
  assert.equal(page.items[0].name, "caf\ufffd");
  assert.deepEqual(page.items[0].raw, one.raw);
});

test("of a 2xx response only the request ids that errors and logs use are read", async () => {
  const reads = [];
  const reply = (json) => async () => {
    const response = new Response(json, { headers: { "content-type": "application/json", "request-id": "req_a", "x-request-id": "req_x" } });
    const get = response.headers.get.bind(response.headers);
    response.headers.get = (name) => (reads.push(name), get(name));
    return response;
  };
  const key = '{"data":{"hash":"h1","name":"a","label":"sk-or-v1-abc...def","disabled":false}}';
  await openrouter({ fetch: reply(key) }).get("h1");
  assert.deepEqual(reads, [], "OpenRouter has no request-id header of its own");
  const anthropic = new lib.ApiKeys({ provider: "anthropic", apiKey: "sk-ant-admin01-test", fetch: reply('{"type":"api_key"}'), maxRetries: 0 });
  const error = await rejection(anthropic.get("apikey_1"));
  assert.ok(error instanceof lib.ResponseFormatError);
  assert.equal(error.requestId, "req_a", "an error about a 2xx body carries the provider's request id");
  assert.deepEqual(reads, ["request-id"]);
  reads.length = 0;
  const events = [];
  await openrouter({ fetch: reply(key), logger: (e) => events.push(e) }).get("h1");
  assert.deepEqual(reads, ["request-id", "x-qai-request-id", "x-request-id"], "a logger reads every request id");
  assert.equal(events.find((e) => e.type === "response").requestId, "req_a");
});

test("a key's raw is JSON.parse's reading of the body, for a key read alone as for a listed one", async () => {
  const key = '{"hash":"h1","z":-0,"big":1e400,"lone":"\\udc00x","name":"a","name":"b"}';
  const reply = (json) => async () => new Response(json, { headers: { "content-type": "application/json" } });
  const one = await openrouter({ fetch: reply(`{"data":${key}}`) }).get("h1");
  const page = await openrouter({ fetch: reply(`{"data":[${key}]}`) }).list();
  const expected = JSON.parse(key);
  assert.deepEqual(one.raw, expected);
  assert.deepEqual(page.items[0].raw, expected);
  assert(Object.is(one.raw.z, -0) && one.raw.big === Infinity && one.raw.lone === "\udc00x" && one.raw.name === "b");
  assert.equal(one.name, "b", "the last of a repeated member, as in raw");
  const fluxKey = '{"id":"0df9e665-d932-5740-b2c7-b52af166bc11","z":-0,"big":1e400,"lone":"\\udc00x","name":"a","name":"b"}';
  const flux = new lib.ApiKeys({ provider: "fluxbase", baseUrl: "https://fluxbase.example.com", apiKey: "fbk_service_test", fetch: reply(fluxKey) });
  const updated = await flux.update("0df9e665-d932-5740-b2c7-b52af166bc11", { name: "b" });
  assert.deepEqual(updated.raw, JSON.parse(fluxKey), "a key an update answers with, as a key read alone");
});

test("a key created while listAll walks an offset-paged list does not make it hand out a key twice", async () => {
  await sandbox.seed("openrouter", 150);
  const keys = openrouter();
  const listed = (await keys.listAll().toArray()).length;
  const seen = [];
  let created = false;
  for await (const key of keys.listAll({ prefetch: false })) {
    seen.push(key.id);
    if (!created) {
      created = true; // at the head of the list, newest first: the first page's last key moves to the second
      await keys.create({ name: "created mid-walk" });
    }
  }
  assert.equal(new Set(seen).size, seen.length, "no key twice");
  assert.equal(seen.length, listed, "every key there when the walk began");
});

test("keys created while listAll reads a last page of one key neither fail the walk nor come twice", async () => {
  const keys = openrouter();
  const before = (await keys.listAll().toArray()).length;
  await sandbox.seed("openrouter", (101 - (before % 100)) % 100 || 100);
  const listed = (await keys.listAll().toArray()).length;
  assert.equal(listed % 100, 1, "a last page of one key");
  const seen = [];
  for await (const key of keys.listAll({ prefetch: false })) {
    seen.push(key.id);
    // The next offset now brings that last key again, and with three, keys of the page before it
    // (OpenRouter lists newest first).
    if (seen.length === listed) for (const n of [1, 2, 3]) await keys.create({ name: `created at the end ${n}` });
  }
  assert.equal(seen.length, listed);
  assert.equal(new Set(seen).size, listed, "no key twice");
});

test("keys created all the while listAll reaches its last page end the walk once every key is handed out, not with an error", async () => {
  for (const prefetch of [true, false]) {
    // Newest first, as OpenRouter lists: a key created before each answer past the first 200.
    const list = Array.from({ length: 201 }, (_, i) => raw(i));
    const asked = [];
    const fetch = async (url, init) => {
      const offset = Number(new URL(url).searchParams.get("offset") ?? 0);
      asked.push({ offset, signal: init.signal });
      if (offset > 200) list.unshift(raw(1000 + list.length));
      return new Response(JSON.stringify({ data: list.slice(offset, offset + 100) }));
    };
    const seen = (await openrouter({ fetch }).listAll({ prefetch }).toArray()).map((k) => k.id);
    assert.equal(seen.length, 201, `prefetch ${prefetch}: every key there when the walk began`);
    assert.equal(new Set(seen).size, 201, "none twice");
    assert.deepEqual(asked.slice(0, 5).map((a) => a.offset), [0, 100, 200, 201, 202], "the last page read three times");
    assert.equal(asked.length, prefetch ? 6 : 5, "with prefetch, one page asked for ahead");
    if (prefetch) assert.ok(asked[5].signal.aborted, "and aborted when the walk ended");
  }
});

test("listAll walks every page with progress, and stops on a server that repeats a page", async () => {
  await sandbox.seed("openrouter", 250);
  const keys = openrouter();
  const progress = [];
  const all = await keys.listAll({ onPage: (p) => progress.push(p) }).toArray();
  assert.equal(all.length, (await count("openrouter")) - 1, "every enabled key (one seed key is disabled)");
  assert.equal(new Set(all.map((k) => k.id)).size, all.length);
  assert.deepEqual(progress.map((p) => p.pages), progress.map((_, i) => i + 1));

  const page = await keys.list();
  const stuck = openrouter({ fetch: async () => new Response(JSON.stringify({ data: page.items.map((k) => k.raw) })) });
  const error = await rejection(stuck.listAll().toArray());
  assert.ok(error instanceof lib.ResponseFormatError);
  assert.match(error.message, /same page three times/);
});

test("a page that cannot be read ends listAll with its error: the page asked for ahead is never handed over", async () => {
  const pages = {
    0: Array.from({ length: 100 }, (_, i) => raw(i)),
    100: [...Array.from({ length: 99 }, (_, i) => raw(100 + i)), { name: "no hash" }],
    200: Array.from({ length: 100 }, (_, i) => raw(200 + i)),
  };
  const asked = [];
  const fetch = async (url) => {
    const offset = Number(new URL(url).searchParams.get("offset") ?? 0);
    asked.push(offset);
    return new Response(JSON.stringify({ data: pages[offset] ?? [] }));
  };
  for (const prefetch of [true, false]) {
    asked.length = 0;
    const seen = [];
    const error = await rejection((async () => {
      for await (const key of openrouter({ fetch }).listAll({ prefetch })) seen.push(key.id);
    })());
    assert.ok(error instanceof lib.ResponseFormatError, String(error));
    assert.match(error.message, /hash/);
    assert.deepEqual(seen, pages[0].map((k) => k.hash), `prefetch ${prefetch}: page 1, then the error`);
    assert.ok(asked.every((offset) => offset <= 200), `no page after the next one was asked for: ${asked}`);
  }
});

test("a page requested ahead is not retried before it is asked for: a walk left unfinished sends it once, one read to its end gets it again", async () => {
  const list = Array.from({ length: 150 }, (_, i) => raw(i));
  const asked = [];
  const events = [];
  const times = [];
  const failingOnce = (failures) => async (url) => {
    const offset = Number(new URL(url).searchParams.get("offset") ?? 0);
    asked.push(offset);
    if (offset === 100) times.push(Date.now());
    if (offset === 100 && failures-- > 0) return new Response("{}", { status: 429, headers: { "retry-after": "1" } });
    return new Response(JSON.stringify({ data: list.slice(offset, offset + 100) }));
  };
  const logger = (event) => events.push(event);
  // Left unfinished after its first key: the page ahead fails once and is left at that.
  const left = openrouter({ fetch: failingOnce(Infinity), maxRetries: 3, logger }).listAll();
  assert.equal((await left.next()).done, false);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(asked, [0, 100], "one request for the page ahead, no retries");
  assert.equal(events.filter((e) => e.type === "retry").length, 0, "no retry logged");
  assert.equal(events.filter((e) => e.type === "request").length, 2, "two requests logged");
  // Read to its end, slowly: the page ahead fails before the loop gets there, and is asked for
  // again then, after what is left of its Retry-After, as its first retry (logged then).
  asked.length = 0;
  times.length = 0;
  events.length = 0;
  const seen = [];
  for await (const key of openrouter({ fetch: failingOnce(1), maxRetries: 3, logger }).listAll()) {
    seen.push(key.id);
    if (seen.length === 1) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(seen.length, 150);
  assert.equal(new Set(seen).size, 150);
  assert.deepEqual(asked, [0, 100, 100, 150]);
  assert.ok(times[1] - times[0] >= 900, `Retry-After honoured (${times[1] - times[0]} ms)`);
  const retries = events.filter((e) => e.type === "retry");
  assert.deepEqual(retries.map((e) => [e.retry, e.reason]), [[1, "HTTP 429"]], "its retry logged once, with its reason");
  assert.ok(retries[0].delayMs > 0 && retries[0].delayMs <= 1000, `what was left of Retry-After (${retries[0].delayMs} ms)`);
});

test("listAll asks for the next page ahead, and stopping early aborts that request", async () => {
  await sandbox.seed("openrouter", 250);
  const seen = [];
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  const hangAfterFirst = (url, init) => {
    seen.push(init.signal);
    if (seen.length === 1) return fetch(url, init);
    return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  };
  try {
    const walk = openrouter({ fetch: hangAfterFirst }).listAll();
    const first = await walk.next();
    assert.equal(first.done, false);
    assert.equal(seen.length, 2, "page 2 was requested before page 1's first key was handed over");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(seen[1].aborted, false);
    assert.deepEqual(await walk.return(), { done: true, value: undefined });
    assert.equal(seen[1].aborted, true, "the request for a page nobody will read is aborted");

    seen.length = 0;
    const lazy = openrouter({ fetch: hangAfterFirst }).listAll({ prefetch: false });
    await lazy.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(seen.length, 1, "with prefetch: false, nothing is requested ahead");
    await lazy.return();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("the key iterator: concurrent next() calls get distinct keys in order; return() mid-page ends the walk", async () => {
  await sandbox.seed("openrouter", 250);
  const keys = openrouter();
  const ids = (await keys.listAll().toArray()).map((k) => k.id);
  const walk = keys.listAll();
  const results = await Promise.all(Array.from({ length: ids.length + 2 }, () => walk.next()));
  assert.deepEqual(results.slice(0, ids.length).map((r) => r.value.id), ids);
  assert.ok(results.slice(ids.length).every((r) => r.done));

  let requests = 0;
  const failing = openrouter({ maxRetries: 0, fetch: (url, init) => (++requests === 2 ? Promise.resolve(new Response("{}", { status: 503 })) : fetch(url, init)) });
  const walk2 = failing.listAll();
  const settled = await Promise.allSettled(Array.from({ length: 105 }, () => walk2.next()));
  const rejected = settled.filter((r) => r.status === "rejected");
  assert.equal(rejected.length, 1, "a failed page rejects one waiting call, as an async generator would");
  assert.ok(rejected[0].reason instanceof lib.ServerError);
  assert.ok(settled.slice(100).every((r) => r.status === "rejected" || r.value.done));

  const stopped = keys.listAll();
  const pending = stopped.next(); // page 1 is on its way
  assert.deepEqual(await stopped.return(), { done: true, value: undefined });
  assert.deepEqual(await pending, { done: true, value: undefined });
  assert.deepEqual(await stopped.next(), { done: true, value: undefined });
  // return(value) settles with the value awaited, as an async generator's does
  assert.deepEqual(await keys.listAll().return(Promise.resolve("later")), { done: true, value: "later" });

  const disposed = keys.listAll();
  assert.equal((await disposed.next()).done, false);
  await disposed[Symbol.asyncDispose](); // what `await using` calls at the end of its block
  assert.deepEqual(await disposed.next(), { done: true, value: undefined });
});

test("a walk whose signal fires stops at the next key, with an AbortError, not after the page in hand", async () => {
  await sandbox.seed("openrouter", 250);
  const keys = openrouter();
  const controller = new AbortController();
  const seen = [];
  const error = await rejection((async () => {
    for await (const key of keys.listAll({}, { signal: controller.signal })) {
      seen.push(key.id);
      if (seen.length === 25) controller.abort(new Error("enough"));
    }
  })());
  assert.equal(seen.length, 25, "no key after the abort");
  assert.ok(error instanceof lib.AbortError, `${error}`);
  assert.equal(error.operation, "listAll");
  assert.equal(error.cause?.message, "enough", "the signal's reason");
  const walk = keys.listAll({}, { signal: AbortSignal.abort() });
  assert.ok((await rejection(walk.next())) instanceof lib.AbortError);
  assert.deepEqual(await walk.next(), { done: true, value: undefined }, "then done, as an async generator");
});

test("a next cursor the client refuses fails the loop that reaches it, and never as an unhandled rejection", async () => {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  try {
    const body = { data: [{ id: "apikey_01", name: "a" }, { id: "apikey_02", name: "b" }], has_more: true, last_id: "" };
    const fetch = async () => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    const keys = new lib.ApiKeys({ ...sandbox.options("anthropic"), fetch });
    for await (const key of keys.listAll()) {
      assert.equal(key.id, "apikey_01");
      break; // the page ahead could not even be started: nobody will ask for it
    }
    const error = await rejection(keys.listAll().toArray());
    assert.ok(error instanceof lib.ApiKeysError, String(error));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("a listed key is the same object as the key read alone, field order included", async () => {
  for (const provider of ["openrouter", "anthropic"]) {
    const keys = new lib.ApiKeys(sandbox.options(provider));
    const page = await keys.list();
    assert.ok(page.items.length >= 2, `${provider} lists keys`);
    for (const listed of page.items.slice(0, 3)) {
      const alone = await keys.get(listed.id);
      assert.deepEqual(listed, alone, `${provider} ${listed.id}`);
      assert.deepEqual(Object.keys(listed), Object.keys(alone));
      if (listed.budget) assert.deepEqual(Object.keys(listed.budget), Object.keys(alone.budget));
    }
  }
});

test("a slow loop gets every page once, with never more than one page requested ahead", async () => {
  await sandbox.seed("openrouter", 250);
  const expected = (await count("openrouter")) - 1; // one seed key is disabled
  let requests = 0;
  const keys = openrouter({ fetch: (url, init) => (requests++, fetch(url, init)) });
  const seen = [];
  let pages = 0;
  for await (const key of keys.listAll({ onPage: (p) => (pages = p.pages) })) {
    if (seen.length % 100 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 60)); // the page ahead arrives meanwhile
      assert.ok(requests <= pages + 1, `${requests} requests while reading page ${pages}`);
    }
    seen.push(key.id);
  }
  assert.equal(seen.length, expected);
  assert.equal(new Set(seen).size, expected, "no page skipped or repeated");
});

test("listAll leaves no listener on the caller's signal, even when a walk is dropped unfinished", async () => {
  const { getEventListeners } = await import("node:events");
  const controller = new AbortController();
  const keys = openrouter();
  for (let i = 0; i < 20; i++) keys.listAll({}, { signal: controller.signal });
  const dropped = keys.listAll({}, { signal: controller.signal });
  await dropped.next();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the page ahead settles
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
  assert.ok((await keys.listAll({}, { signal: controller.signal }).toArray()).length > 0);
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
});

test("many calls sharing one signal put one listener on it: no leak warning, and all of them abort", async () => {
  const { getEventListeners } = await import("node:events");
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning.name);
  process.on("warning", onWarning);
  try {
    const controller = new AbortController();
    const keys = openrouter();
    const [id] = (await keys.list()).items.map((k) => k.id);
    await Promise.all(Array.from({ length: 30 }, () => keys.get(id, { signal: controller.signal })));
    await sandbox.fault({ provider: "openrouter", method: "GET", times: 30, fault: { delayMs: 2000 } });
    const pending = Array.from({ length: 30 }, () => rejection(keys.get(id, { signal: controller.signal })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(getEventListeners(controller.signal, "abort").length, 1, "one listener for 30 calls");
    controller.abort();
    const errors = await Promise.all(pending);
    assert.ok(errors.every((e) => e instanceof lib.AbortError), errors.map((e) => e.name).join());
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  } finally {
    process.off("warning", onWarning);
    await sandbox.clearFaults();
  }
});

test("inputs whose getters or Proxy traps throw, or huge arrays, are ValidationErrors and send nothing", async () => {
  let calls = 0;
  const keys = openrouter({ fetch: (url, init) => (calls++, fetch(url, init)) });
  const throwing = {
    get timeoutMs() {
      throw new Error("boom");
    },
  };
  const trap = new Proxy({}, { ownKeys() { throw new Error("boom"); } });
  const cases = [
    () => keys.get("h1", throwing),
    () => keys.update("h1", trap),
    () => keys.create({ name: "x", scopes: new Array(2 ** 32 - 1) }),
    () => keys.update("h1", { name: "x", extra: [Object.defineProperty([], 0, { get() { throw new Error("boom"); } })] }),
  ];
  for (const run of cases) {
    const error = await rejection(run());
    assert.ok(error instanceof lib.ValidationError, `${run}: ${error}`);
  }
  assert.equal(calls, 0);
  assert.ok((await keys.list()).items.length > 0, "the module still works");
});

test("data that is not JSON is refused naming the member; a Map or Headers is not silently read as {}", async () => {
  let calls = 0;
  const keys = openrouter({ fetch: (url, init) => (calls++, fetch(url, init)) });
  const cases = [
    [() => keys.create({ name: "x", budget: { limit: 10n } }), "budget.limit", /bigints/],
    [() => keys.update("h1", { name: "x", scopes: ["a", Symbol("b")] }), "scopes[1]", /symbols/],
    [() => keys.list({ cursor: () => "x" }), "cursor", /functions/],
    [() => keys.create(new Map([["name", "x"]])), "input", /Map, Set, Headers/],
    // Read as {}, each would drop what it holds: a budget not awaited, fields behind getters.
    [() => keys.create({ name: "x", budget: Promise.resolve({ limit: 5 }) }), "budget", /a Promise .*await it/],
    [() => keys.create(Promise.resolve({ name: "x" })), "input", /a Promise/],
    [() => keys.update("h1", { name: "x", budget: new (class Budget { get limit() { return 5; } })() }), "budget", /a prototype of its own .*class instance/],
    [() => keys.create({ name: "x", expiresAt: new Date(Date.now() + 864e5) }), "expiresAt", /a Date .*toISOString\(\)/],
  ];
  for (const [run, field, reason] of cases) {
    const error = await rejection(run());
    assert.ok(error instanceof lib.ValidationError, `${run}: ${error}`);
    assert.deepEqual(error.fields.map((f) => f.field), [field], `${run}`);
    assert.match(error.fields[0].message, reason);
  }
  const error = await rejection(Promise.resolve().then(() => openrouter({ headers: new Headers({ "x-title": "demo" }) })));
  assert.ok(error instanceof lib.ValidationError, `new Headers() as headers: ${error}`);
  assert.deepEqual(error.fields.map((f) => f.field), ["headers"]);
  // A signal belongs to one call: the constructor says where it goes.
  const misplaced = await rejection(Promise.resolve().then(() => openrouter({ signal: new AbortController().signal })));
  assert.ok(misplaced instanceof lib.ValidationError, `a signal given to the constructor: ${misplaced}`);
  assert.deepEqual(misplaced.fields.map((f) => f.field), ["signal"]);
  assert.match(misplaced.fields[0].message, /an AbortSignal goes in a call's request options/);
  // Options objects whose shell members are taken out first (a copy of a Map would be {}).
  const maps = [
    () => keys.get("h1", new Map([["timeoutMs", -1]])),
    () => keys.listAll(new Map([["limit", 1]])).next(),
    () => Promise.resolve().then(() => new lib.ApiKeys(new Map([["provider", "openrouter"]]))),
  ];
  for (const run of maps) {
    const refused = await rejection(run());
    assert.ok(refused instanceof lib.ValidationError, `${run}: ${refused}`);
    assert.deepEqual(refused.fields.map((f) => f.field), ["options"], `${run}`);
  }
  assert.equal(calls, 0);
  // Plain objects of another realm, and with no prototype, are read as ever.
  const { runInNewContext } = await import("node:vm");
  const other = runInNewContext("({ name: 'other realm', budget: { limit: 5 } })");
  const bare = Object.assign(Object.create(null), { name: "no prototype" });
  for (const input of [other, bare]) {
    const created = await keys.create(input);
    assert.equal(created.key.name, input.name);
  }
  assert.equal(calls, 2);
});

test("an error a caller makes keeps its cause, as Error's does", () => {
  const cause = new Error("404 upstream");
  const error = new lib.NotFoundError("gone", { cause, status: 404 });
  assert.equal(error.cause, cause);
  assert.equal(error.status, 404);
  assert.equal(Object.hasOwn(new lib.ApiKeysError("plain"), "cause"), false, "no cause unless given");
});

test("Fluxbase's 500 for a write to a missing key is a NotFoundError at once, not retried", async () => {
  let calls = 0;
  const missing = async () => {
    calls++;
    return new Response(JSON.stringify({ error: "Failed to delete client key: client key not found" }), { status: 500, headers: { "content-type": "application/json" } });
  };
  const keys = new lib.ApiKeys({ ...sandbox.options("fluxbase"), fetch: missing, maxRetries: 3 });
  const error = await rejection(keys.delete("3f1c9a52-8d7e-4b21-9c55-0a6e2f4b7d10"));
  assert.ok(error instanceof lib.NotFoundError, `${error}`);
  assert.equal(error.status, 500);
  assert.equal(calls, 1, "one request: the same answer would come back");
});

test("a member that is undefined is not given: it neither removes a limit nor counts as a change", async () => {
  const keys = openrouter();
  const { key } = await keys.create({ name: "budgeted", budget: { limit: 10, period: "weekly" } });
  const raised = await keys.setBudget(key.id, { limit: 20, period: undefined });
  assert.deepEqual([raised.budget.limit, raised.budget.period], [20, "weekly"], "the period is kept");
  const error = await rejection(keys.setBudget(key.id, { limit: undefined }));
  assert.ok(error instanceof lib.ValidationError, `limit: undefined is no limit given: ${error}`);
  assert.deepEqual(error.fields.map((f) => f.field), ["limit"]);
  for (const nothing of [{ name: undefined }, { budget: {} }]) {
    const refused = await rejection(keys.update(key.id, nothing));
    assert.deepEqual(refused.fields?.map((f) => f.field), ["input"], `${JSON.stringify(nothing)} changes nothing`);
  }
  const listed = await rejection(keys.list({ onPage: 1 }));
  assert.deepEqual(listed.fields?.map((f) => f.field), ["onPage"], "onPage is listAll's");
  assert.equal((await keys.get(key.id)).budget.limit, 20);
});

/** A fetch answering OpenRouter's `GET /keys?offset=` with pages of two keys, six in all, and `GET /keys/{hash}`. */
async function cannedPages(url) {
  const { pathname, searchParams } = new URL(url);
  const key = (n) => ({ hash: `h${n}`, name: `k${n}`, disabled: false });
  const offset = Number(searchParams.get("offset") ?? 0);
  const data = pathname.endsWith("/keys") ? [offset, offset + 1].filter((n) => n < 6).map(key) : key(pathname.split("/h").pop());
  return new Response(JSON.stringify({ data }), { headers: { "content-type": "application/json" } });
}

test("data too large for the wasm's memory is refused at once, and the module goes on working", async () => {
  const keys = openrouter({ fetch: cannedPages });
  let shared = "s";
  for (let i = 0; i < 27; i++) shared = [shared, shared]; // 2^27 strings through 28 small arrays
  const wide = new Array(10_000).fill(new Array(10_000).fill(0));
  const started = Date.now();
  for (const [input, reason] of [
    [{ name: "n", note: shared }, /more than 100000 values in all/],
    [{ x: wide }, /more than 100000 values in all/],
    [{ name: "\u0001".repeat(1e8) }, /strings of more than 1048576 characters in all/],
  ]) {
    const error = await rejection(keys.update("h1", input));
    assert.ok(error instanceof lib.ValidationError, `${error}`);
    assert.match(error.message, reason);
  }
  assert.ok(Date.now() - started < 5000, `refused in ${Date.now() - started} ms`);
  const huge = Array.from({ length: 250_001 }, (_, n) => `{"hash":"h${n}"}`).join(",");
  const flooding = openrouter({ fetch: async () => new Response(`{"data":[${huge}]}`), maxRetries: 0 });
  const flooded = await rejection(flooding.list());
  assert.ok(flooded instanceof lib.ResponseFormatError, `${flooded}`);
  assert.match(flooded.message, /lists 250001 keys, more than the 250000 read from one response/);
  assert.equal((await keys.get("h1")).id, "h1", "the module still works");
});

test("a lone surrogate is refused, not sent as U+FFFD (another key's id)", async () => {
  const keys = openrouter({ fetch: cannedPages });
  const error = await rejection(keys.get("ab\ud800cd"));
  assert.ok(error instanceof lib.ValidationError, `${error}`);
  assert.deepEqual(error.fields.map((f) => [f.field, f.message]), [["id", "must be plain JSON data (a lone surrogate (invalid UTF-16) cannot be sent)"]]);
  assert.ok((await rejection(keys.update("h1", { name: "x\udc00y" }))) instanceof lib.ValidationError);
  assert.equal((await keys.get("h\ufffd")).id, encodeURIComponent("h\ufffd"), "a real U+FFFD is a character like any other");
});

test("a logger or onPage that returns a rejected promise is ignored, as one that throws", async () => {
  const keys = openrouter({ fetch: cannedPages, logger: async () => Promise.reject(new Error("sink down")) });
  assert.equal((await keys.get("h1")).id, "h1");
  const all = await keys.listAll({ onPage: async () => { throw new Error("x"); } }).toArray();
  assert.equal(all.length, 6);
  await new Promise((resolve) => setTimeout(resolve, 20)); // an unhandled rejection would have failed the run by now
});

test("characters fetch cannot send in a header are refused when the client is made, by field", () => {
  const base = sandbox.options("openrouter");
  const fieldsOf = (options) => {
    try {
      new lib.ApiKeys({ ...base, ...options });
    } catch (error) {
      assert.ok(error instanceof lib.ValidationError, `${error}`);
      return error.fields.map((f) => f.field);
    }
    return [];
  };
  assert.deepEqual(fieldsOf({ apiKey: `${base.apiKey}\u200b` }), ["apiKey"], "a zero-width space copied with the key");
  assert.deepEqual(fieldsOf({ apiKey: "sk-or-v1 abc" }), ["apiKey"]);
  assert.deepEqual(fieldsOf({ headers: { "x-title": "Caf\u20ac", "x-line": "a\u2028b" } }), ["headers.x-title", "headers.x-line"]);
  assert.deepEqual(fieldsOf({ headers: { "x-title": "Caf\u00e9" } }), [], "Latin-1 is a byte each");
});

test("hostile values, thousands of times over, are refused without harming the module", async () => {
  const keys = openrouter({ fetch: cannedPages });
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const lengthTrap = new Proxy([], { get: (target, name) => (name === "length" ? assert.fail("length read") : Reflect.get(target, name)) });
  const streaming = (chunk) => () =>
    new Response(new ReadableStream({ start: (c) => (c.enqueue(chunk), c.close()) }), { headers: { "content-type": "application/json" } });
  const trapIndex = (target) => new Proxy(target, { get: (t, name) => (name === "0" ? assert.fail("index read") : Reflect.get(t, name)) });
  const lyingSignal = () => {
    const signal = new AbortController().signal;
    let reads = 0;
    Object.defineProperty(signal, "aborted", { get: () => (++reads > 1 ? assert.fail("aborted read again") : false) });
    return signal;
  };
  const throwingListener = () => {
    const signal = new AbortController().signal;
    signal.addEventListener = () => {
      throw trapIndex([]); // an array, as the attempt's own failures once were
    };
    return signal;
  };
  const failing = (error) => () => Promise.reject(error);
  const throwingMessage = Object.defineProperty(new Error("x"), "message", { get: () => assert.fail("message read") });
  // A body whose one chunk's buffer the caller detaches once it has been read.
  const detaching = () => {
    const chunk = new TextEncoder().encode(JSON.stringify({ data: { hash: "h1", name: "k", disabled: false } }));
    let read = false;
    const stream = new ReadableStream({
      pull: (c) => (read ? (structuredClone(chunk.buffer, { transfer: [chunk.buffer] }), c.close()) : ((read = true), c.enqueue(chunk))),
    }, { highWaterMark: 0 });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  };
  const cases = [
    [() => keys.get(revoked()), lib.ValidationError],
    [() => keys.create({ name: "x", scopes: revoked() }), lib.ValidationError],
    [() => keys.create({ name: "x", scopes: lengthTrap }), lib.ValidationError],
    [() => keys.get("h1", { signal: revoked() }), lib.ValidationError],
    [() => keys.get("h1", { signal: Object.create(AbortSignal.prototype) }), lib.ValidationError],
    [() => keys.get("h1", { signal: lyingSignal() }), null],
    [() => keys.get("h1", { signal: throwingListener() }), null],
    [() => openrouter({ fetch: streaming("{}"), maxRetries: 0 }).get("h1"), lib.NetworkError],
    [() => openrouter({ fetch: streaming(trapIndex(new TextEncoder().encode("{}"))), maxRetries: 0 }).get("h1"), lib.NetworkError],
    [() => openrouter({ fetch: failing(trapIndex([])), maxRetries: 0 }).get("h1"), lib.NetworkError],
    [() => openrouter({ fetch: failing(throwingMessage), maxRetries: 0 }).get("h1"), lib.NetworkError],
    [() => openrouter({ fetch: detaching, maxRetries: 0 }).get("h1"), null],
  ];
  // Each used to unwind through the wasm, leaking its stack, until a call trapped (after about 700).
  for (let round = 0; round < 1500; round++) {
    for (const [run, Class] of cases) {
      // `null`: a signal that lies or throws is the caller's business; the call must only end cleanly.
      const outcome = await run().then((key) => key, (error) => error);
      assert.ok(Class === null ? outcome.id === "h1" || outcome instanceof lib.ApiKeysError : outcome instanceof Class, `${run}: ${outcome}`);
    }
    assert.throws(() => new lib.ApiKeys(revoked()), lib.ValidationError);
  }
  assert.equal((await keys.get("h1")).id, "h1", "the module still works");
});

test("a body reader whose cancel() throws ends its call on time and stops no other client's timer", async () => {
  class Stuck extends Response {
    get body() {
      return { getReader: () => ({ read: () => new Promise(() => {}), cancel: () => assert.fail("cancel() threw") }) };
    }
  }
  const stuck = openrouter({ fetch: async () => new Stuck("{}"), maxRetries: 0 });
  const slow = openrouter({ fetch: () => new Promise(() => {}), maxRetries: 0 });
  const started = Date.now();
  const errors = await Promise.all([stuck.get("h1", { timeoutMs: 100 }), slow.get("h1", { timeoutMs: 200 })].map(rejection));
  assert.ok(errors.every((e) => e instanceof lib.TimeoutError), String(errors));
  assert.ok(Date.now() - started < 2000);
});

test("a body larger than 64 MiB fails the attempt instead of filling the memory", async () => {
  const megabyte = new Uint8Array(2 ** 20);
  const endless = async () => new Response(new ReadableStream({ pull: (c) => c.enqueue(megabyte) }));
  const error = await rejection(openrouter({ fetch: endless, maxRetries: 0 }).get("h1"));
  assert.ok(error instanceof lib.NetworkError && /larger than 64 MiB/.test(error.message), String(error));
});

test("a freed client, or a copy of one, throws a TypeError and never reaches another client", async () => {
  const freed = openrouter({ fetch: cannedPages });
  freed.free();
  freed.free();
  for (let round = 0; round < 10000; round++) assert.throws(() => freed.get("h1"), TypeError);
  const calls = [];
  const original = openrouter({ fetch: (url, init) => (calls.push(init.headers), cannedPages(url)) });
  const copy = Object.assign(Object.create(Object.getPrototypeOf(original)), original); // as deep-clone helpers copy
  assert.throws(() => copy.get("h1"), TypeError);
  original.free();
  const other = new lib.ApiKeys({ ...sandbox.options("anthropic"), fetch: () => assert.fail("another client's fetch") });
  assert.throws(() => copy.get("h1"), TypeError);
  copy.free();
  for (const forged of [Object.create(lib.ApiKeys.prototype, { __wbg_ptr: { value: 8 } }), { __wbg_ptr: 8 }]) {
    assert.throws(() => lib.ApiKeys.prototype.get.call(forged, "h1"), TypeError, "a forged handle reaches nothing");
  }
  assert.equal(String(other).startsWith("ApiKeys(anthropic"), true, "the other client is intact");
  assert.deepEqual(calls, []);
});

test("with prefetch, fetch and logger still never run inside a method call", async () => {
  let inside = false;
  const seen = [];
  const keys = openrouter({ fetch: (url) => (seen.push(inside), cannedPages(url)), logger: () => seen.push(inside) });
  const walk = keys.listAll();
  const ids = [];
  for (;;) {
    inside = true;
    const next = walk.next();
    inside = false;
    const { done, value } = await next;
    if (done) break;
    ids.push(value.id);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the page ahead arrives while the loop works
  }
  assert.deepEqual(ids, ["h0", "h1", "h2", "h3", "h4", "h5"]);
  assert.ok(seen.length >= 8 && !seen.includes(true), JSON.stringify(seen));
});

test("timeouts and waits longer than a JS timer can wait are refused", async () => {
  const tooLong = 2 ** 31;
  assert.throws(() => openrouter({ timeoutMs: tooLong }), lib.ValidationError);
  const error = await rejection(openrouter({ fetch: cannedPages }).get("h1", { maxRetryDelayMs: tooLong }));
  assert.deepEqual(error.fields.map((f) => f.field), ["maxRetryDelayMs"]);
});

test("listAll checks its own options with the rest and sends nothing when one is wrong", async () => {
  let calls = 0;
  const keys = openrouter({ fetch: (url, init) => (calls++, fetch(url, init)) });
  const error = await rejection(keys.listAll({ onPage: 5, prefetch: "yes", offset: -1 }).toArray());
  assert.ok(error instanceof lib.ValidationError);
  assert.deepEqual(error.fields.map((f) => f.field).sort(), ["offset", "onPage", "prefetch"]);
  assert.equal(calls, 0);
});

test("no secret appears in any error, string form, JSON form or log line", async () => {
  const lines = [];
  const logger = (e) => lines.push(JSON.stringify(e));
  const managementKey = sandbox.options("openrouter").apiKey;
  const keys = openrouter({ logger, maxRetries: 1 });
  const created = await keys.create({ name: "secret-scan" });
  const secrets = [managementKey, created.secret];

  const wrongKey = new lib.ApiKeys({ ...sandbox.options("openrouter"), apiKey: created.secret, logger });
  const texts = [String(keys), JSON.stringify(keys), String(wrongKey), JSON.stringify(wrongKey)];
  const failing = [
    () => wrongKey.list(),
    () => keys.get("missing-key"),
    () => keys.create({ name: "" }),
    () => new lib.ApiKeys({ ...sandbox.options("openrouter"), apiKey: `bad-${managementKey}`, logger }).list(),
    async () => {
      await sandbox.fault({ provider: "openrouter", path: created.key.id, times: 2, fault: { status: 500 } });
      return keys.get(created.key.id, { maxRetryDelayMs: 10 });
    },
  ];
  for (const call of failing) {
    const error = await rejection(call());
    assert.ok(error instanceof lib.ApiKeysError);
    texts.push(error.message, String(error), JSON.stringify(error), error.stack ?? "");
  }
  texts.push(...lines);
  assert.ok(lines.some((l) => l.includes('"type":"request"')) && lines.some((l) => l.includes("[redacted]")));
  for (const text of texts) for (const secret of secrets) assert.ok(!text.includes(secret), `leak in: ${text}`);
  await sandbox.clearFaults();
});

test("plain http is refused for remote hosts unless allowed", () => {
  const options = { provider: "openrouter", apiKey: "k", baseUrl: "http://api.example.com/v1" };
  assert.throws(() => new lib.ApiKeys(options), lib.ValidationError);
  assert.doesNotThrow(() => new lib.ApiKeys({ ...options, allowInsecureHttp: true }));
  assert.throws(() => new lib.ApiKeys({ ...options, baseUrl: "http://127.attacker.example/v1" }), lib.ValidationError);
  assert.doesNotThrow(() => new lib.ApiKeys({ ...options, baseUrl: "http://127.0.0.1:9/v1" }));
});

test("the logger shows no credential a caller adds to the headers", async () => {
  const lines = [];
  const managementKey = sandbox.options("openrouter").apiKey;
  const headers = { "proxy-authorization": "Basic cHJveHk6c2VjcmV0", "cf-access-client-secret": "cf-secret-value", "x-extra": managementKey };
  const keys = openrouter({ headers, fetch: cannedPages, logger: (e) => lines.push(JSON.stringify(e)) });
  await keys.get("h1");
  const logged = lines.join("\n");
  assert.ok(logged.includes('"x-extra":"[redacted]"'), logged);
  for (const secret of [...Object.values(headers), managementKey]) assert.ok(!logged.includes(secret), `leak of ${secret} in: ${logged}`);
});

test("a call's own headers go on each of its requests, over the client's, and on no other call", async () => {
  const sent = [];
  const recording = (url, init) => {
    sent.push(init.headers);
    return cannedPages(url);
  };
  const keys = openrouter({ headers: { "X-Title": "App", "x-trace": "client" }, fetch: recording });
  const managementAuth = `Bearer ${sandbox.options("openrouter").apiKey}`;
  await keys.get("h1", { headers: { "X-Trace": "call-1", authorization: "Bearer not-the-key" } });
  assert.deepEqual(sent.pop(), { "x-title": "App", "x-trace": "call-1", authorization: managementAuth, accept: "application/json" }, "the call's wins over the client's; the key's header over both");
  await keys.get("h1");
  assert.equal(sent.pop()["x-trace"], "client", "the next call has the client's again");
  const walked = await keys.listAll({}, { headers: { "x-trace": "walk" } }).toArray();
  assert.equal(walked.length, 6);
  assert.deepEqual(sent.splice(0).map((h) => h["x-trace"]), ["walk", "walk", "walk", "walk"], "every page of the walk");
  const refused = await rejection(keys.get("h1", { headers: { "content-length": "1", "x-ok": "1" }, timeoutMs: -1 }));
  assert.ok(refused instanceof lib.ValidationError, String(refused));
  assert.deepEqual(refused.fields.map((f) => f.field), ["timeoutMs", "headers.content-length"]);
  assert.equal(sent.length, 0, "nothing sent");

  // Fluxbase's update is two requests: both carry the call's header.
  const flux = [];
  const fluxKeys = new lib.ApiKeys({ ...sandbox.options("fluxbase"), fetch: (url, init) => (flux.push([init.method, init.headers["x-trace"]]), fetch(url, init)) });
  const { key } = await fluxKeys.create({ name: "traced", scopes: ["*"] });
  await fluxKeys.update(key.id, { name: "traced 2" }, { headers: { "x-trace": "update-1" } });
  assert.deepEqual(flux.slice(1), [["PATCH", "update-1"], ["GET", "update-1"]]);
  await fluxKeys.delete(key.id);
});

test("a credential the caller adds to the headers is redacted wherever a server or the runtime repeats it", async () => {
  const token = "gw-Token/0123456789+xyz";
  const headers = { "cf-aig-authorization": `Bearer ${token}`, "x-gateway-key": "gateway-key-98765" };
  const lines = [];
  const echo = (init) => Object.values(init.headers).filter((v) => v.includes(token) || v.includes("98765")).join(" and ");
  const keys = openrouter({
    headers,
    maxRetries: 0,
    logger: (e) => lines.push(JSON.stringify(e)),
    fetch: async (url, init) => {
      if (url.endsWith("/thrown")) throw new TypeError(`fetch failed: proxy refused ${echo(init)}`);
      const body = { error: { code: 401, message: `gateway refused ${echo(init)} (${encodeURIComponent(token)})`, metadata: { headers: init.headers } } };
      return new Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json", "x-request-id": `req ${token}` } });
    },
  });
  const refused = await rejection(keys.get("h1"));
  assert.ok(refused instanceof lib.AuthenticationError, String(refused));
  assert.equal(refused.message.split(" (sent")[0].split(" (HTTP")[0], "gateway refused [redacted] and [redacted] ([redacted])");
  assert.equal(refused.raw.error.metadata.headers["x-gateway-key"], "[redacted]");
  assert.ok(lines.some((l) => l.includes('"requestId":"req [redacted]"')), lines.join("\n"));
  const thrown = await rejection(keys.get("thrown"));
  assert.ok(thrown instanceof lib.NetworkError && thrown.message.includes("proxy refused [redacted] and [redacted]"), thrown.message);
  const texts = [refused, thrown].flatMap((e) => [e.message, String(e), JSON.stringify(e), e.stack ?? ""]).concat(lines);
  for (const text of texts) for (const secret of [token, "gateway-key-98765", encodeURIComponent(token)]) assert.ok(!text.includes(secret), `leak of ${secret} in: ${text}`);
});

test("a key typed into a member's name is redacted from every validation error's fields and message", async () => {
  const managementKey = "MgmtKeyTypedInAName0123456789";
  const options = { ...sandbox.options("openrouter"), apiKey: managementKey };
  const keys = new lib.ApiKeys(options);
  const errors = [
    // Not plain JSON: refused before the options are read, so before the key is known.
    (() => { try { new lib.ApiKeys({ ...options, headers: { [`Authorization: Bearer ${managementKey}`]: () => 1 } }); } catch (e) { return e; } })(),
    (() => { try { new lib.ApiKeys({ ...options, headers: { [`x-${managementKey}`]: 1n } }); } catch (e) { return e; } })(),
    // The key as read from a file, its line break with it (the options trim it).
    (() => { try { new lib.ApiKeys({ ...options, apiKey: `${managementKey}\n`, headers: { [`x-${managementKey}`]: () => 1 } }); } catch (e) { return e; } })(),
    await rejection(keys.list({}, { [managementKey]: 1 })),
    await rejection(keys.list({}, { [managementKey]: () => 1 })),
    await rejection(keys.update("h1", { [managementKey]: "x" })),
    await rejection(keys.create({ name: "n", [`sk-or-v1-${"a".repeat(20)}`]: Symbol() })),
  ];
  for (const error of errors) {
    assert.ok(error instanceof lib.ValidationError, String(error));
    const text = JSON.stringify({ message: error.message, fields: error.fields, string: String(error) });
    assert.ok(text.includes("[redacted]") && !text.includes(managementKey) && !text.includes("a".repeat(20)), text);
  }
});

test("the key echoed percent-encoded or JSON-escaped is redacted from errors and the log", async () => {
  const managementKey = "MgmtKeyEchoed0123456789/+=";
  const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "request-id": `req ${encodeURIComponent(managementKey)}` } });
  const lines = [];
  const keys = new lib.ApiKeys({
    provider: "anthropic",
    apiKey: managementKey,
    logger: (e) => lines.push(JSON.stringify(e)),
    // Page 1's cursor holds the key: the next request's URL carries it percent-encoded.
    fetch: async (url) =>
      new URL(url).searchParams.has("after_id")
        ? json(401, { type: "error", error: { type: "authentication_error", message: `upstream: ${JSON.stringify({ error: `bad key ${managementKey}` }).replaceAll("/", "\\/")} at ${url}` } })
        : json(200, { data: [], has_more: true, first_id: null, last_id: `${managementKey}` }),
  });
  const error = await rejection(keys.listAll().toArray());
  assert.ok(error instanceof lib.AuthenticationError, String(error));
  assert.ok(error.message.includes("upstream: {\"error\":\"bad key [redacted]\"} at https://") && error.message.includes("after_id=[redacted]"), error.message);
  assert.equal(error.requestId, "req [redacted]");
  const logged = lines.join("\n");
  assert.ok(logged.includes("after_id=[redacted]"), logged);
  for (const text of [error.message, logged]) {
    for (const form of [managementKey, encodeURIComponent(managementKey), managementKey.replace("/", "\\/"), "0123456789"]) assert.ok(!text.includes(form), `${form} in: ${text}`);
  }
});

test("a new secret without a provider prefix, echoed in its answer's request id, is redacted from the log", async () => {
  const secret = "NewSecretWithoutPrefix0123456789";
  const lines = [];
  const keys = new lib.ApiKeys({
    provider: "quantum",
    apiKey: "qai_k_admin_test",
    logger: (e) => lines.push(e),
    fetch: async () =>
      new Response(JSON.stringify({ key: secret, details: { id: "key_1", name: "Bot", key_prefix: "qai_k_12345678", revoked: false } }), {
        status: 201,
        headers: { "content-type": "application/json", "x-qai-request-id": `req-for-${secret}` },
      }),
  });
  const created = await keys.create({ name: "Bot" });
  assert.equal(created.secret, secret);
  assert.deepEqual(lines.map((e) => e.type), ["request", "response"], "the answer is still logged after its request");
  assert.equal(lines[1].requestId, "req-for-[redacted]");
  assert.ok(!JSON.stringify(lines).includes(secret));
});

test("an optional argument given as null or undefined is the same as one left out", async () => {
  const keys = new lib.ApiKeys(sandbox.options("gptcore"));
  const created = await keys.create({ name: "optional-arguments" }, null);
  const id = created.key.id;
  for (const absent of [null, undefined]) {
    assert.equal((await keys.get(id, absent)).id, id);
    assert.ok((await keys.list(absent, absent)).items.some((key) => key.id === id));
    assert.ok((await keys.listActive(absent, absent)).items.some((key) => key.id === id));
    assert.ok((await keys.listAll(absent, absent).toArray()).some((key) => key.id === id));
  }
  assert.equal((await keys.rotate(id, null, null)).key.id, id);
  assert.equal((await keys.resetBudgetPeriod(id, undefined, null)).id, id);
  await keys.delete(id, null);
  assert.ok((await rejection(keys.get(id, undefined))) instanceof lib.NotFoundError);
  // Other falsy values are not "left out": they are refused, and nothing is sent.
  for (const [call, what] of [[() => keys.get(id, false), "request false"], [() => keys.list(0), "options 0"], [() => keys.rotate(id, ""), "options \"\""]]) {
    assert.ok((await rejection(call())) instanceof lib.ValidationError, what);
  }
});

test("refused caller data leaves nothing behind: thousands of hostile inputs under a small wasm table, and the module still works", async () => {
  // A lone surrogate, a throwing getter or Proxy trap once threw inside an import the wasm made,
  // and each such throw kept a slot of wasm-bindgen's externref table until the table could not
  // grow and every later call trapped. Here the table may hold 2 000 slots; 6 000 refusals run.
  const script = `const lib = await import(${JSON.stringify(new URL("../../pkg/node.js", import.meta.url).href)});
    const options = { provider: "openrouter", apiKey: "sk-or-v1-mgmt-abcdefabcdef0123456789",
      fetch: async () => new Response('{"data":{"hash":"abc","label":"x","disabled":false}}') };
    const keys = new lib.ApiKeys(options);
    const lone = JSON.parse('"team \\\\ud800 key"');
    const getter = { get name() { throw new Error("boom"); } };
    const trap = new Proxy({}, { ownKeys() { throw new Error("boom"); } });
    const hostile = [
      () => keys.create({ name: lone }),
      () => keys.create(getter),
      () => keys.update("abc", trap),
      () => keys.get("abc", { timeoutMs: 5, x: lone }),
      () => keys.listAll({ cursor: lone }).next(),
      () => Promise.resolve().then(() => new lib.ApiKeys({ ...options, headers: { "x-a": lone } })),
    ];
    for (let i = 0; i < 1000; i++) {
      for (const call of hostile) {
        const error = await call().then(() => null, (e) => e);
        if (!(error instanceof lib.ValidationError)) throw new Error("not refused: " + error);
      }
    }
    const key = await keys.get("abc");
    if (key.id !== "abc") throw new Error("the module no longer works");`;
  const { spawnSync } = await import("node:child_process");
  const run = spawnSync(process.execPath, ["--wasm-max-table-size=2000", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
});

test("every argument's problems come in one ValidationError: id, input and request options; listAll's two; a callback after a bad member", async () => {
  let calls = 0;
  const keys = openrouter({ fetch: (url, init) => (calls++, fetch(url, init)) });
  const fields = async (promise) => (await rejection(promise)).fields.map((f) => f.field);
  assert.deepEqual(await fields(keys.update(" ", { name: "" }, { timeoutMs: -5 })), ["id", "name", "timeoutMs"]);
  assert.deepEqual(await fields(keys.create({ name: 42, budget: { limit: -1 } }, { maxRetries: 99, signal: "x" })), ["name", "budget.limit", "maxRetries", "signal"]);
  assert.deepEqual(await fields(keys.listAll({ offset: -1, onPage: 5 }, { timeoutMs: 0 }).next()), ["offset", "timeoutMs", "onPage"]);
  // A member that is not JSON stops the reading of the rest, but not the check of a callback after it.
  const error = await rejection(Promise.resolve().then(() => openrouter({ headers: new Map(), fetch: "not a function" })));
  assert.deepEqual(error.fields.map((f) => f.field).sort(), ["fetch", "headers"]);
  // However many bad members, a hundred are listed; the message tells twenty and counts the rest.
  const many = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`x${i}`, i]));
  const flood = await rejection(keys.update("h1", many));
  assert.equal(flood.fields.length, 100);
  assert.match(flood.message, /; and 80 more \(see fields\)$/);
  assert.equal(calls, 0);
});

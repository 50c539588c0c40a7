// The built package, installed into a scratch project as a user would, performing every
// operation of every provider against a local server that checks each request exactly
// (method, path, query, headers, body) and answers with spec-shaped JSON.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { importPackage, resolvePackage } from "./support/install.mjs";

let lib;
let server;
let baseUrl;
const script = []; // pending { expect, reply }
const problems = [];

before(async () => {
  lib = await importPackage();
  server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const step = script.shift();
    if (!step) {
      problems.push(`unexpected request ${req.method} ${req.url}`);
      res.writeHead(500).end();
      return;
    }
    checkRequest(step.expect, req, body);
    const { status, json, headers = {} } = step.reply;
    const text = json === undefined ? "" : JSON.stringify(json);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(text);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

function checkRequest(expect, req, body) {
  const url = new URL(req.url, "http://x");
  const where = `${expect.method} ${expect.path}`;
  if (req.method !== expect.method) problems.push(`${where}: method ${req.method}`);
  if (url.pathname !== expect.path) problems.push(`${where}: path ${url.pathname}`);
  const query = Object.fromEntries(url.searchParams);
  try {
    assert.deepEqual(query, expect.query ?? {});
  } catch {
    problems.push(`${where}: query ${JSON.stringify(query)}`);
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    if (req.headers[name] !== value) problems.push(`${where}: header ${name}=${req.headers[name]}`);
  }
  const sent = body ? JSON.parse(body) : undefined;
  try {
    assert.deepEqual(sent, expect.body);
  } catch {
    problems.push(`${where}: body ${body}`);
  }
}

/** Queues the expected requests, runs `action`, and checks all were made and matched. */
async function exchange(steps, action) {
  problems.length = 0;
  script.length = 0;
  script.push(...steps);
  const result = await action();
  assert.deepEqual(problems, [], "every request matched");
  assert.equal(script.length, 0, "every expected request was made");
  return result;
}

const ok = (json, status = 200, headers) => ({ status, json, headers });

// ---------------------------------------------------------------- OpenRouter
const OR_KEY = "sk-or-v1-management-test";
const HASH = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943";
const orAuth = { authorization: `Bearer ${OR_KEY}`, accept: "application/json" };
const orJson = { ...orAuth, "content-type": "application/json" };
const orKey = (over = {}) => ({
  hash: HASH, name: "Production", label: "sk-or-v1-0e6...1c96", disabled: false, limit: 100,
  limit_remaining: 74.5, limit_reset: "monthly", include_byok_in_limit: false, usage: 25.5,
  usage_daily: 1, usage_weekly: 2, usage_monthly: 25.5, byok_usage: 0, byok_usage_daily: 0,
  byok_usage_weekly: 0, byok_usage_monthly: 0, created_at: "2025-08-24T10:30:00Z",
  updated_at: null, creator_user_id: null, workspace_id: "0df9e665-d932-5740-b2c7-b52af166bc11",
  expires_at: "2027-12-31T23:59:59Z", ...over,
});

test("openrouter: every operation sends the documented request", async () => {
  const keys = new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: `${baseUrl}/api/v1`, maxRetries: 0 });
  const keyPath = `/api/v1/keys/${HASH}`;

  const current = await exchange(
    [{ expect: { method: "GET", path: "/api/v1/key", headers: orAuth }, reply: ok({ data: { label: "sk-or-v1-au7...890", limit: null, usage: 1, is_management_key: true } }) }],
    () => keys.current(),
  );
  assert.equal(current.hint, "sk-or-v1-au7...890");

  const page = await exchange(
    [{ expect: { method: "GET", path: "/api/v1/keys", query: { include_disabled: "true", offset: "100" }, headers: orAuth }, reply: ok({ data: [orKey()] }) }],
    () => keys.list({ includeDisabled: true, offset: 100 }),
  );
  assert.equal(page.items[0].id, HASH);
  assert.equal(page.nextCursor, "101");
  assert.equal(page.items[0].budget.remaining, 74.5);

  const all = await exchange(
    [
      { expect: { method: "GET", path: "/api/v1/keys" }, reply: ok({ data: [orKey(), orKey({ hash: "b".repeat(64) })] }) },
      { expect: { method: "GET", path: "/api/v1/keys", query: { offset: "2" } }, reply: ok({ data: [orKey({ hash: "c".repeat(64) })] }) },
      { expect: { method: "GET", path: "/api/v1/keys", query: { offset: "3" } }, reply: ok({ data: [] }) },
    ],
    async () => {
      const seen = [];
      for await (const key of keys.listAll()) seen.push(key.id);
      return seen;
    },
  );
  assert.deepEqual(all, [HASH, "b".repeat(64), "c".repeat(64)]);

  const active = await exchange(
    [{ expect: { method: "GET", path: "/api/v1/keys", query: { include_disabled: "false" } }, reply: ok({ data: [orKey(), orKey({ hash: "d".repeat(64), disabled: true })] }) }],
    () => keys.listActive(),
  );
  assert.equal(active.items.length, 1);

  const got = await exchange([{ expect: { method: "GET", path: keyPath, headers: orAuth }, reply: ok({ data: orKey() }) }], () => keys.get(HASH));
  assert.equal(got.name, "Production");

  const created = await exchange(
    [{
      expect: { method: "POST", path: "/api/v1/keys", headers: orJson, body: { name: "CI", limit: 50, limit_reset: "weekly", expires_at: "2030-01-01T00:00:00Z" } },
      reply: ok({ data: orKey({ name: "CI" }), key: `sk-or-v1-${"ab".repeat(32)}` }, 201),
    }],
    () => keys.create({ name: "CI", budget: { limit: 50, period: "weekly" }, expiresAt: "2030-01-01T00:00:00Z" }),
  );
  assert.equal(created.secret, `sk-or-v1-${"ab".repeat(32)}`);
  assert.equal(created.key.name, "CI");

  await exchange([{ expect: { method: "PATCH", path: keyPath, headers: orJson, body: { name: "Renamed", include_byok_in_limit: true } }, reply: ok({ data: orKey({ name: "Renamed" }) }) }],
    () => keys.update(HASH, { name: "Renamed", includeByokInLimit: true }));
  const revoked = await exchange([{ expect: { method: "PATCH", path: keyPath, body: { disabled: true } }, reply: ok({ data: orKey({ disabled: true }) }) }], () => keys.revoke(HASH));
  assert.equal(revoked.status, "disabled");
  const enabled = await exchange([{ expect: { method: "PATCH", path: keyPath, body: { disabled: false } }, reply: ok({ data: orKey() }) }], () => keys.enable(HASH));
  assert.equal(enabled.status, "active");
  await exchange([{ expect: { method: "PATCH", path: keyPath, body: { limit: 20, limit_reset: "daily" } }, reply: ok({ data: orKey({ limit: 20 }) }) }],
    () => keys.setBudget(HASH, { limit: 20, period: "daily" }));
  await exchange([{ expect: { method: "PATCH", path: keyPath, body: { limit: null } }, reply: ok({ data: orKey({ limit: null }) }) }],
    () => keys.setBudget(HASH, { limit: null }));
  const deleted = await exchange([{ expect: { method: "DELETE", path: keyPath, headers: orAuth }, reply: ok({ deleted: true }) }], () => keys.delete(HASH));
  assert.equal(deleted, undefined);

  for (const odd of [undefined, 5, null, new String("get"), { op: "get" }]) {
    assert.equal(keys.supports(odd), false, "anything but an operation's name is not supported");
    assert.match(keys.unsupportedReason(odd), /not an operation of ApiKeys: pass a method name/);
  }
  assert.equal(keys.supports("get"), true);
  for (const op of ["rotate", "resetBudgetPeriod", "usage"]) {
    assert.equal(keys.supports(op), false);
    await exchange([], () => assert.rejects(keys[op]("x"), (e) => e instanceof lib.UnsupportedOperationError && e.message.includes("OpenRouter") && e.message.includes(op)));
  }
});

test("ids are percent-encoded into one path segment", async () => {
  const keys = new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: `${baseUrl}/api/v1`, maxRetries: 0 });
  for (const [id, path] of [["../x", "/api/v1/keys/..%2Fx"], ["a/b?c", "/api/v1/keys/a%2Fb%3Fc"]]) {
    await exchange([{ expect: { method: "GET", path }, reply: ok({ data: orKey() }) }], () => keys.get(id));
  }
});

test("errors are typed, carry status and code, and never the key", async () => {
  const keys = new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: `${baseUrl}/api/v1`, maxRetries: 0 });
  const cases = [
    [401, lib.AuthenticationError], [403, lib.PermissionError], [404, lib.NotFoundError],
    [429, lib.RateLimitError], [500, lib.ServerError], [400, lib.BadRequestError],
  ];
  for (const [status, Class] of cases) {
    const error = await exchange(
      [{ expect: { method: "GET", path: `/api/v1/keys/${HASH}` }, reply: ok({ error: { code: status, message: `nope ${OR_KEY}` } }, status, { "retry-after": "1" }) }],
      () => keys.get(HASH).then(() => assert.fail("should reject"), (e) => e),
    );
    assert.ok(error instanceof Class && error instanceof lib.ApiKeysError && error instanceof Error, `${status} -> ${Class.name}`);
    assert.equal(error.status, status);
    assert.equal(error.code, String(status));
    assert.equal(error.provider, "openrouter");
    // The provider's body, redacted, with what the message does not say.
    assert.deepEqual(error.raw, { error: { code: status, message: "nope [redacted]" } });
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack]) assert.ok(!text.includes(OR_KEY), text);
  }
  // OpenRouter's metadata, whole (the message quotes only its text members).
  const detailed = await exchange(
    [{ expect: { method: "PATCH", path: `/api/v1/keys/${HASH}`, body: { disabled: false } }, reply: ok({ error: { code: 400, message: "Key limit reached", metadata: { limit: 50, keys: ["a", "b"] } }, user_id: "user_1" }, 400) }],
    () => keys.update(HASH, { disabled: false }).then(() => assert.fail("should reject"), (e) => e),
  );
  assert.deepEqual(detailed.raw, { error: { code: 400, message: "Key limit reached", metadata: { limit: 50, keys: ["a", "b"] } }, user_id: "user_1" });
  assert.deepEqual(JSON.parse(JSON.stringify(detailed)).raw, detailed.raw, "toJSON keeps it");
  const notJson = await exchange([{ expect: { method: "GET", path: `/api/v1/keys/${HASH}` }, reply: { status: 200, json: undefined } }],
    () => keys.get(HASH).then(() => assert.fail("should reject"), (e) => e));
  assert.ok(notJson instanceof lib.ResponseFormatError);
  assert.equal(notJson.raw, null, "only an HTTP error's JSON body");
  assert.ok(!JSON.stringify(keys).includes(OR_KEY) && !String(keys).includes(OR_KEY));
});

test("validation reports every bad field and sends nothing", async () => {
  const keys = new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: `${baseUrl}/api/v1` });
  const error = await exchange([], () =>
    keys.create({ name: "", budget: { limit: -1, period: "yearly" }, expiresAt: "2001-01-01T00:00:00Z" }).then(() => assert.fail(), (e) => e));
  assert.ok(error instanceof lib.ValidationError);
  assert.deepEqual(error.fields.map((f) => f.field).sort(), ["budget.limit", "budget.period", "expiresAt", "name"]);
  await exchange([], () => assert.rejects(keys.get(""), lib.ValidationError));
  assert.throws(() => new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: "http://example.com" }), lib.ValidationError);
});

// ---------------------------------------------------------------- the other four
const GPT_ID = "8f14e45f-ceea-467f-a8f6-33c2a1b2c3d4";
/** GPT Core's requests for keys ask for every attribute by name (some are sent only when named); create and rotate the secret too. */
const GPT_KEY_ATTRIBUTES = {
  "fields[api_key]": "prefix,name,key_type,status,application_id,tenant_id,user_id,workspace_id,scopes,current_scopes," +
    "expires_at,last_used_at,total_requests,total_credits_used,rate_limit_requests,rate_limit_period_seconds,credit_limit," +
    "credit_limit_period,period_credits_used,period_started_at,budget_remaining,budget_resets_at",
};
const GPT_EVERY_ATTRIBUTE = { "fields[api_key]": `${GPT_KEY_ATTRIBUTES["fields[api_key]"]},generated_api_key` };
const gptKey = (attributes = {}) => ({
  id: GPT_ID, type: "api_key",
  attributes: { prefix: "sk_tenant_ab", name: "Billing", key_type: "server", status: "active", application_id: GPT_ID,
    total_requests: 5, total_credits_used: 40, rate_limit_requests: 60, rate_limit_period_seconds: 60,
    credit_limit: 1000, credit_limit_period: "monthly", period_credits_used: 40, ...attributes },
});

test("gptcore: JSON:API requests for every operation", async () => {
  const apiKey = "sk_tenant_admin_test";
  const keys = new lib.ApiKeys({ provider: "gptcore", apiKey, baseUrl, maxRetries: 0 });
  const accept = "application/vnd.api+json; version=2025-12-03";
  const base = "/admin/api-keys";
  const one = `${base}/${GPT_ID}`;
  const headers = { authorization: `Bearer ${apiKey}`, accept };
  const empty = { data: { id: GPT_ID, type: "api_key", attributes: {} } };
  const page = await exchange([{ expect: { method: "GET", path: base, query: { "page[limit]": "20", "page[offset]": "0", ...GPT_KEY_ATTRIBUTES }, headers }, reply: ok({ data: [gptKey()] }) }], () => keys.list());
  assert.equal(page.items[0].budget.unit, "credits");
  await exchange([{ expect: { method: "GET", path: one, query: GPT_KEY_ATTRIBUTES, headers }, reply: ok({ data: gptKey() }) }], () => keys.get(GPT_ID));
  const created = await exchange(
    [{ expect: { method: "POST", path: base, query: GPT_EVERY_ATTRIBUTE, headers: { ...headers, "content-type": "application/vnd.api+json" },
      body: { data: { type: "api_key", attributes: { name: "CI", credit_limit: 10, credit_limit_period: "daily" } } } },
      reply: ok({ data: gptKey({ name: "CI", generated_api_key: "sk_tenant_new_secret" }) }, 201) }],
    () => keys.create({ name: "CI", budget: { limit: 10, period: "daily" } }));
  assert.equal(created.secret, "sk_tenant_new_secret");
  await exchange([{ expect: { method: "PATCH", path: one, query: GPT_KEY_ATTRIBUTES, body: { data: { id: GPT_ID, type: "api_key", attributes: { name: "New" } } } }, reply: ok({ data: gptKey({ name: "New" }) }) }],
    () => keys.update(GPT_ID, { name: "New" }));
  const revoked = await exchange([{ expect: { method: "PATCH", path: `${one}/revoke`, query: GPT_KEY_ATTRIBUTES, body: empty }, reply: ok({ data: gptKey({ status: "revoked" }) }) }], () => keys.revoke(GPT_ID));
  assert.equal(revoked.status, "revoked");
  const rotated = await exchange([{ expect: { method: "PATCH", path: `${one}/rotate`, query: GPT_EVERY_ATTRIBUTE, body: empty }, reply: ok({ data: gptKey({ generated_api_key: "sk_tenant_rotated" }) }) }], () => keys.rotate(GPT_ID));
  assert.equal(rotated.secret, "sk_tenant_rotated");
  await exchange([{ expect: { method: "PATCH", path: `${one}/set-budget`, query: GPT_KEY_ATTRIBUTES, body: { data: { id: GPT_ID, type: "api_key", attributes: { credit_limit: null, credit_limit_period: null } } } }, reply: ok({ data: gptKey({ credit_limit: null }) }) }],
    () => keys.setBudget(GPT_ID, { limit: null, period: null }));
  await exchange([{ expect: { method: "PATCH", path: `${one}/reset-period`, query: GPT_KEY_ATTRIBUTES, body: { data: { id: GPT_ID, type: "api_key", attributes: {} } } }, reply: ok({ data: gptKey() }) }],
    () => keys.resetBudgetPeriod(GPT_ID));
  const usage = await exchange([{ expect: { method: "GET", path: `${base}/stats`, query: { tenant_id: GPT_ID, ...GPT_KEY_ATTRIBUTES } }, reply: ok({ data: [gptKey()] }) }], () => keys.usage({ tenantId: GPT_ID }));
  assert.equal(usage.keys.length, 1);
  await exchange([{ expect: { method: "GET", path: `${base}/active`, query: GPT_KEY_ATTRIBUTES }, reply: ok({ data: [gptKey()] }) }], () => keys.listActive());
  await exchange([{ expect: { method: "DELETE", path: one }, reply: ok({ meta: {} }) }], () => keys.delete(GPT_ID));
  await exchange([], () => assert.rejects(keys.usage({}), lib.ValidationError));
  const limited = await exchange([{ expect: { method: "GET", path: one, query: GPT_KEY_ATTRIBUTES }, reply: ok({ errors: [{ status: "429", title: "Rate Limit Exceeded", meta: { retry_after: 60 } }] }, 429) }],
    () => keys.get(GPT_ID).then(assert.fail, (e) => e));
  assert.ok(limited instanceof lib.RateLimitError);
  assert.equal(limited.retryAfterMs, 60000);
});

test("quantum: both auth headers, create, list, revoke, rotate, usage", async () => {
  const apiKey = "qai_k_admin_test";
  const keys = new lib.ApiKeys({ provider: "quantum", apiKey, baseUrl, maxRetries: 0 });
  const headers = { authorization: `Bearer ${apiKey}`, "x-api-key": apiKey };
  const details = { id: "key_1", name: "Bot", key_prefix: "qai_k_12345678", spent_ticks: 25_000_000_000, revoked: false, created_at: "2026-01-01T00:00:00Z" };
  const page = await exchange([{ expect: { method: "GET", path: "/qai/v1/keys", headers }, reply: ok({ keys: [details] }) }], () => keys.list());
  assert.equal(page.items[0].usage.total, 2.5);
  const created = await exchange(
    [{ expect: { method: "POST", path: "/qai/v1/keys", headers, body: { name: "Bot", endpoints: ["chat"], spend_cap_usd: 5, rate_limit: 30 } }, reply: ok({ key: "qai_k_" + "a".repeat(64), details }, 201) }],
    () => keys.create({ name: "Bot", endpoints: ["chat"], budget: { limit: 5 }, rateLimit: { requests: 30, periodSeconds: 60 } }));
  assert.ok(created.secret.startsWith("qai_k_"));
  const revoked = await exchange([{ expect: { method: "DELETE", path: "/qai/v1/keys/key_1" }, reply: ok({ status: "revoked" }) }], () => keys.revoke("key_1"));
  assert.equal(revoked.status, "revoked");
  const rotated = await exchange([{ expect: { method: "POST", path: "/qai/v1/keys/key_1/rotate", body: { grace_seconds: 60 } }, reply: ok({ key: "qai_k_" + "b".repeat(64), details: { ...details, id: "key_2" }, old_key_id: "key_1" }) }],
    () => keys.rotate("key_1", { graceSeconds: 60 }));
  assert.equal(rotated.replacedKeyId, "key_1");
  const usage = await exchange([{ expect: { method: "GET", path: "/qai/v1/keys/key_1/usage" }, reply: ok({ days: [{ day: "2026-01-01", requests: 3, cost_usd: 0.5, input_tokens: 10, output_tokens: 20 }], models: [], total_cost_usd: 0.5 }) }],
    () => keys.usage({ keyId: "key_1" }));
  assert.equal(usage.days[0].cost, 0.5);
  const error = await exchange([{ expect: { method: "POST", path: "/qai/v1/keys/key_1/rotate", body: { grace_seconds: 0 } }, reply: ok({ error: { code: "invalid_state", message: "already rotated" } }, 409, { "x-qai-request-id": "qreq_9" }) }],
    () => keys.rotate("key_1").then(assert.fail, (e) => e));
  assert.ok(error instanceof lib.ConflictError);
  assert.equal(error.requestId, "qreq_9");
  await exchange([], () => assert.rejects(keys.get("key_1"), lib.UnsupportedOperationError));
});

test("anthropic: cursor paging, update, revoke as inactive; create and delete unsupported", async () => {
  const apiKey = "sk-ant-admin01-test";
  const keys = new lib.ApiKeys({ provider: "anthropic", apiKey, baseUrl, maxRetries: 0 });
  const headers = { "x-api-key": apiKey, "anthropic-version": "2023-06-01" };
  const key = (id, status = "active") => ({ id, type: "api_key", name: id, status, created_at: "2024-10-30T23:58:27.427722Z", created_by: null, partial_key_hint: null, workspace_id: null });
  const all = await exchange(
    [
      { expect: { method: "GET", path: "/v1/organizations/api_keys", query: { limit: "2" }, headers }, reply: ok({ data: [key("apikey_1"), key("apikey_2")], has_more: true, first_id: "apikey_1", last_id: "apikey_2" }) },
      { expect: { method: "GET", path: "/v1/organizations/api_keys", query: { limit: "2", after_id: "apikey_2" } }, reply: ok({ data: [key("apikey_3")], has_more: false, first_id: "apikey_3", last_id: "apikey_3" }) },
    ],
    () => keys.listAll({ limit: 2 }).toArray());
  assert.deepEqual(all.map((k) => k.id), ["apikey_1", "apikey_2", "apikey_3"]);
  await exchange([{ expect: { method: "GET", path: "/v1/organizations/api_keys/apikey_1" }, reply: ok(key("apikey_1")) }], () => keys.get("apikey_1"));
  await exchange([{ expect: { method: "POST", path: "/v1/organizations/api_keys/apikey_1", body: { name: "Renamed" } }, reply: ok(key("apikey_1")) }], () => keys.update("apikey_1", { name: "Renamed" }));
  const revoked = await exchange([{ expect: { method: "POST", path: "/v1/organizations/api_keys/apikey_1", body: { status: "inactive" } }, reply: ok(key("apikey_1", "inactive")) }], () => keys.revoke("apikey_1"));
  assert.equal(revoked.status, "disabled");
  await exchange([{ expect: { method: "POST", path: "/v1/organizations/api_keys/apikey_1", body: { status: "active" } }, reply: ok(key("apikey_1")) }], () => keys.enable("apikey_1"));
  await exchange([{ expect: { method: "GET", path: "/v1/organizations/api_keys", query: { status: "active" } }, reply: ok({ data: [key("apikey_1")], has_more: false }) }], () => keys.listActive());
  const missing = await exchange(
    [{ expect: { method: "GET", path: "/v1/organizations/api_keys/apikey_9" }, reply: ok({ type: "error", error: { type: "not_found_error", message: "no key" }, request_id: "req_body" }, 404, { "request-id": "req_header" }) }],
    () => keys.get("apikey_9").then(assert.fail, (e) => e));
  assert.ok(missing instanceof lib.NotFoundError);
  assert.equal(missing.requestId, "req_header");
  assert.equal(missing.code, "not_found_error");
  for (const op of ["create", "delete"]) await exchange([], () => assert.rejects(keys[op]("apikey_1"), lib.UnsupportedOperationError));
});

test("fluxbase: route families, auth styles, read-back after update and revoke", async () => {
  const apiKey = "fbk_service_test";
  const id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  const key = (over = {}) => ({ id, name: "Worker", key_prefix: "fbk_abcdefgh", scopes: ["read:tables"], rate_limit_per_minute: 100, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", ...over });
  for (const [routes, authStyle, header] of [["client-keys", undefined, "x-service-key"], ["api-keys", "api-key", "x-api-key"]]) {
    const keys = new lib.ApiKeys({ provider: "fluxbase", apiKey, baseUrl, routes, authStyle, maxRetries: 0 });
    const base = `/api/v1/${routes}`;
    const headers = { [header]: apiKey };
    await exchange([{ expect: { method: "GET", path: base, headers }, reply: ok([key()]) }], () => keys.list());
    const scope = routes === "client-keys" ? "read:clientkeys" : "read:apikeys";
    const created = await exchange([{ expect: { method: "POST", path: base, body: { name: "Worker", scopes: ["read:tables", scope] } }, reply: ok({ ...key(), key: "fbk_secret_value_123" }, 201) }],
      () => keys.create({ name: "Worker", scopes: ["read:tables", scope] }));
    assert.equal(created.secret, "fbk_secret_value_123");
    assert.equal(JSON.stringify(created.key.raw).includes("fbk_secret_value_123"), false, "the secret is not kept in raw");
    const updated = await exchange(
      [
        { expect: { method: "PATCH", path: `${base}/${id}`, body: { name: "Renamed" } }, reply: ok({ success: true, message: "API key updated successfully" }) },
        { expect: { method: "GET", path: `${base}/${id}` }, reply: ok(key({ name: "Renamed" })) },
      ],
      () => keys.update(id, { name: "Renamed" }));
    assert.equal(updated.name, "Renamed");
    const revoked = await exchange(
      [
        { expect: { method: "POST", path: `${base}/${id}/revoke`, body: {} }, reply: ok({ success: true, message: "API key revoked successfully" }) },
        { expect: { method: "GET", path: `${base}/${id}` }, reply: ok(key({ revoked_at: "2026-02-01T00:00:00Z" })) },
      ],
      () => keys.revoke(id));
    assert.equal(revoked.status, "revoked");
    await exchange([{ expect: { method: "DELETE", path: `${base}/${id}` }, reply: { status: 204 } }], () => keys.delete(id));
    await exchange([], () => assert.rejects(keys.create({ name: "x", scopes: ["root"] }), lib.ValidationError));
  }
});

test("the glue names each imported module once, so bundlers do not warn of duplicate keys", async () => {
  const { readFile } = await import("node:fs/promises");
  const glue = await readFile(new URL("../../pkg/apikeys.js", import.meta.url), "utf8");
  const importObject = glue.slice(glue.lastIndexOf("__proto__: null,"));
  const modules = [...importObject.matchAll(/^\s*"([^"]+)":/gm)].map((m) => m[1]);
  assert.ok(modules.length > 0, "found the import object");
  assert.deepEqual(modules, [...new Set(modules)], "an import module is named twice (see src/js/runtime.rs)");
});

test("the packaged README links only to files the package has, or to the repository", async () => {
  const { readFile, access } = await import("node:fs/promises");
  const readme = await readFile(new URL("../../pkg/README.md", import.meta.url), "utf8");
  const manifest = JSON.parse(await readFile(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  const repository = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
  const targets = [...readme.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]);
  assert.ok(targets.some((t) => t.startsWith(`${repository}/blob/main/docs/`)), "links into docs/ go to the repository");
  for (const target of targets.filter((t) => !/^[a-z]+:/.test(t))) {
    await access(new URL(`../../pkg/${target}`, import.meta.url)).catch(() => assert.fail(`pkg/README.md links to ${target}, which the package lacks`));
  }
});

test("the installed package carries the texts of both licenses its manifest names", async () => {
  const { readFile } = await import("node:fs/promises");
  const installed = path.dirname(resolvePackage());
  const manifest = JSON.parse(await readFile(path.join(installed, "package.json"), "utf8"));
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  assert.match(await readFile(path.join(installed, "LICENSE-MIT"), "utf8"), /^Copyright .*\n[\s\S]*Permission is hereby granted, free of charge/);
  assert.match(await readFile(path.join(installed, "LICENSE-APACHE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
});

/** The package's runtime.js (under snippets/, in a directory named by wasm-bindgen). */
async function importRuntime() {
  const { readdir } = await import("node:fs/promises");
  const snippets = new URL("../../pkg/snippets/", import.meta.url);
  const [dir] = await readdir(snippets);
  return import(new URL(`${dir}/src/js/runtime.js`, snippets));
}

test("buildKeys never throws (its import has no catch wrapper): a body JSON.parse refuses gives null", async () => {
  const runtime = await importRuntime();
  const refused = new TextEncoder().encode("{");
  assert.equal(runtime.buildKeys("", new Float64Array([0]), refused, null, new Uint32Array(0), 0, "", true), null);
  assert.deepEqual(runtime.buildKeys("", new Float64Array([0]), new TextEncoder().encode("[]"), null, new Uint32Array(0), 0, "", false), []);
  assert.equal(runtime.rawAt(refused, null, 0, ""), undefined, "rawAt never throws either");
});

test("rawAt hides as model::Hide::apply does (the same cases as its unit test)", async () => {
  const { rawAt } = await importRuntime();
  const bytes = (value) => new TextEncoder().encode(JSON.stringify(value));
  assert.deepEqual(rawAt(bytes({ id: 1, key: "s" }), null, 1, "key"), { id: 1 });
  assert.deepEqual(rawAt(bytes(["key"]), null, 1, "key"), ["key"], "only an object has members");
  const body = { data: [{ attributes: { secret: "s", n: 1 } }, { attributes: { secret: null } }, { attributes: {} }, { attributes: 7 }, 3], m: {} };
  const hidden = { data: [{ attributes: { secret: null, n: 1 } }, { attributes: { secret: null } }, { attributes: {} }, { attributes: 7 }, 3], m: {} };
  assert.deepEqual(rawAt(bytes(body), null, 2, "data.attributes.secret"), hidden, "set null where there, nothing added where not");
  assert.deepEqual(rawAt(bytes(body), null, 0, ""), body);
  assert.deepEqual(rawAt(bytes({ data: body }), "data", 0, ""), body, "a member of the body");
  assert.equal(rawAt(bytes({}), "data", 0, ""), null, "a member not there");
});

test("raw is the provider's JSON as JSON.parse reads it, and a created key holds the secret nowhere, wherever a body carries one", async () => {
  const secret = "sk_tenant_SECRET_0123456789";
  const noSecretOutside = (result) => {
    const { secret: _, ...rest } = result;
    assert.equal(JSON.stringify(rest).includes(secret), false, "the secret is only in `secret`");
  };
  // GPT Core: the secret is `attributes.generated_api_key`, which `raw` keeps as null.
  const gpt = new lib.ApiKeys({ provider: "gptcore", apiKey: "sk_tenant_admin_test", baseUrl, maxRetries: 0 });
  const withSecret = gptKey({ generated_api_key: secret, big: 2 ** 60 });
  const hidden = gptKey({ generated_api_key: null, big: 2 ** 60 });
  const gptCreate = { method: "POST", path: "/admin/api-keys", query: GPT_EVERY_ATTRIBUTE, body: { data: { type: "api_key", attributes: { name: "CI" } } } };
  const created = await exchange([{ expect: gptCreate, reply: ok({ data: withSecret }, 201) }], () => gpt.create({ name: "CI" }));
  assert.equal(created.secret, secret);
  assert.deepEqual(created.key.raw, hidden);
  noSecretOutside(created);
  const rotated = await exchange([{ expect: { method: "PATCH", path: `/admin/api-keys/${GPT_ID}/rotate`, query: GPT_EVERY_ATTRIBUTE, body: { data: { id: GPT_ID, type: "api_key", attributes: {} } } }, reply: ok({ data: withSecret }) }],
    () => gpt.rotate(GPT_ID));
  assert.deepEqual(rotated.key.raw, hidden);
  const got = await exchange([{ expect: { method: "GET", path: `/admin/api-keys/${GPT_ID}`, query: GPT_KEY_ATTRIBUTES }, reply: ok({ data: withSecret }) }], () => gpt.get(GPT_ID));
  assert.deepEqual(got.raw, hidden);
  const listed = await exchange([{ expect: { method: "GET", path: "/admin/api-keys", query: { "page[limit]": "20", "page[offset]": "0", ...GPT_KEY_ATTRIBUTES } }, reply: ok({ data: [gptKey(), withSecret], meta: {} }) }],
    () => gpt.list());
  assert.deepEqual(listed.items.map((k) => k.raw), [gptKey(), hidden]);
  const usage = await exchange([{ expect: { method: "GET", path: "/admin/api-keys/stats", query: { tenant_id: GPT_ID, ...GPT_KEY_ATTRIBUTES } }, reply: ok({ data: [withSecret, gptKey()], meta: { n: 2 } }) }],
    () => gpt.usage({ tenantId: GPT_ID }));
  assert.deepEqual(usage.raw, { data: [hidden, gptKey()], meta: { n: 2 } });
  assert.deepEqual(usage.keys.map((k) => k.raw), [hidden, gptKey()]);
  assert.notEqual(usage.raw.data[0], usage.keys[0].raw, "the usage's raw and its keys' share no object");
  noSecretOutside(usage);
  // Quantum and Fluxbase: the secret is the body's `key`, beside the key's fields or
  // beside a member holding them; `raw` is that member, or the body without `key`.
  const quantum = new lib.ApiKeys({ provider: "quantum", apiKey: "qai_k_admin_test", baseUrl, maxRetries: 0 });
  const details = { id: "key_1", name: "Bot", key_prefix: "qai_k_12345678", revoked: false };
  const nested = await exchange([{ expect: { method: "POST", path: "/qai/v1/keys", body: { name: "Bot" } }, reply: ok({ key: secret, details }, 201) }],
    () => quantum.create({ name: "Bot" }));
  assert.deepEqual(nested.key.raw, details);
  const flat = await exchange([{ expect: { method: "POST", path: "/qai/v1/keys", body: { name: "Bot" } }, reply: ok({ key: secret, ...details, account_id: "acct_9" }, 201) }],
    () => quantum.create({ name: "Bot" }));
  assert.deepEqual(flat.key.raw, { ...details, account_id: "acct_9" });
  noSecretOutside(flat);
  const flux = new lib.ApiKeys({ provider: "fluxbase", apiKey: "fbk_service_test", baseUrl, maxRetries: 0 });
  const fluxKey = { id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", name: "Worker", key_prefix: "fbk_abcdefgh" };
  const fluxInput = { name: "Worker", scopes: ["read:tables"] };
  const fluxCreate = { method: "POST", path: "/api/v1/client-keys", body: fluxInput };
  const wrapped = await exchange([{ expect: fluxCreate, reply: ok({ client_key: fluxKey, key: secret }, 201) }], () => flux.create(fluxInput));
  assert.deepEqual(wrapped.key.raw, fluxKey);
  const fluxFlat = await exchange([{ expect: fluxCreate, reply: ok({ ...fluxKey, key: secret }, 201) }], () => flux.create(fluxInput));
  assert.deepEqual(fluxFlat.key.raw, fluxKey);
  noSecretOutside(fluxFlat);
  // OpenRouter: the secret is the body's `key`, the key's fields its `data`.
  const openrouter = new lib.ApiKeys({ provider: "openrouter", apiKey: OR_KEY, baseUrl: `${baseUrl}/api/v1`, maxRetries: 0 });
  const orCreated = await exchange([{ expect: { method: "POST", path: "/api/v1/keys", body: { name: "Production" } }, reply: ok({ data: orKey(), key: secret }, 201) }],
    () => openrouter.create({ name: "Production" }));
  assert.deepEqual(orCreated.key.raw, orKey());
  noSecretOutside(orCreated);
  // Where a server repeats the secret inside what `raw` keeps (undocumented, so not hidden
  // by place), the repeat is null, and the secret is "[redacted]" in text that holds it.
  const repeated = { ...orKey(), key: secret, note: `made ${secret} for you`, list: [secret, "x"] };
  const orRepeated = await exchange([{ expect: { method: "POST", path: "/api/v1/keys", body: { name: "Production" } }, reply: ok({ data: repeated, key: secret }, 201) }],
    () => openrouter.create({ name: "Production" }));
  assert.deepEqual(orRepeated.key.raw, { ...orKey(), key: null, note: "made [redacted] for you", list: [null, "x"] });
  noSecretOutside(orRepeated);
  const fluxRepeated = await exchange([{ expect: fluxCreate, reply: ok({ client_key: { ...fluxKey, key: secret }, key: secret }, 201) }], () => flux.create(fluxInput));
  assert.deepEqual(fluxRepeated.key.raw, { ...fluxKey, key: null });
  const quantumRepeated = await exchange([{ expect: { method: "POST", path: "/qai/v1/keys", body: { name: "Bot" } }, reply: ok({ key: secret, details: { ...details, key: secret } }, 201) }],
    () => quantum.create({ name: "Bot" }));
  assert.deepEqual(quantumRepeated.key.raw, { ...details, key: null });
  // Repeated in what the key's own fields are read from (its name, its label as the hint)
  // or as a member's name: the same, in the key as in `raw`.
  const echoing = orKey({ name: secret, label: `${secret.slice(0, 12)}…${secret}`, limits: { [secret]: 1 } });
  const orEchoing = await exchange([{ expect: { method: "POST", path: "/api/v1/keys", body: { name: "Production" } }, reply: ok({ data: echoing, key: secret }, 201) }],
    () => openrouter.create({ name: "Production" }));
  assert.equal(orEchoing.key.name, null);
  assert.equal(orEchoing.key.hint, `${secret.slice(0, 12)}…[redacted]`);
  assert.deepEqual(orEchoing.key.raw.limits, { "[redacted]": 1 });
  noSecretOutside(orEchoing);
});

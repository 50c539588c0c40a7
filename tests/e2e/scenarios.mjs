// End-to-end scenarios of apikeys-wasm against the sandbox emulator, written once and run
// unchanged in every runtime (Node ESM and CommonJS, Deno, workerd, Chromium).
//
// Runtime-neutral on purpose: no Node, Deno or DOM APIs; only what every runtime has
// (fetch, Promise, setTimeout, AbortController, JSON). The runtime's entry point imports the
// package its own way and passes it in:
//
//   const results = await runAll({ ApiKeys, errors, sandbox: { url, info } });
//   // → [{ name, ok, error?, ms }], in the order of scenarioNames(); never throws.
//
// `errors` is the package's error classes (`import * as errors` or the module namespace),
// `sandbox.url` is the sandbox root and `sandbox.info` its `GET /_sandbox/info`.

export const PROVIDERS = ["gptcore", "quantum", "openrouter", "anthropic", "fluxbase"];

export const OPERATIONS = [
  "list", "listAll", "get", "current", "create", "update", "revoke", "enable",
  "rotate", "delete", "setBudget", "resetBudgetPeriod", "usage", "listActive",
];

/** What each provider offers: shared/providers.md §8 (the capability matrix). */
export const CAPABILITIES = {
  gptcore: ["list", "listAll", "get", "create", "update", "revoke", "rotate", "delete", "setBudget", "resetBudgetPeriod", "usage", "listActive"],
  quantum: ["list", "listAll", "create", "revoke", "rotate", "usage"],
  openrouter: ["list", "listAll", "get", "current", "create", "update", "revoke", "enable", "delete", "setBudget", "listActive"],
  anthropic: ["list", "listAll", "get", "update", "revoke", "enable", "listActive"],
  fluxbase: ["list", "listAll", "get", "create", "update", "revoke", "delete"],
};

/** The prefix of a secret each provider mints (Anthropic: minted by the sandbox "Console"). */
const SECRET_PREFIX = {
  gptcore: "sk_tenant_",
  quantum: "qai_k_",
  openrouter: "sk-or-v1-",
  anthropic: "sk-ant-api03-",
  fluxbase: "fbk_",
};

/** An id of the provider's shape that names no key. */
const UNKNOWN_ID = {
  gptcore: "00000000-0000-4000-8000-000000000000",
  quantum: "00000000-0000-4000-8000-000000000000",
  openrouter: "0".repeat(64),
  anthropic: "apikey_01ZZZZZZZZZZZZZZZZZZZZZZ",
  fluxbase: "00000000-0000-4000-8000-000000000000",
};

/** List options that include every key (OpenRouter leaves disabled keys out by default). */
const ALL_KEYS = { openrouter: { includeDisabled: true } };

/** Seed keys of GPT Core belong to this tenant (sandbox/README.md). */
const GPTCORE_SEED_TENANT = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const SCENARIO_TIMEOUT_MS = 15000;

// ---------------------------------------------------------------------------------------
// assertions

class AssertionFailed extends Error {}
AssertionFailed.prototype.name = "AssertionFailed";

const show = (v) => {
  try {
    const text = JSON.stringify(v);
    return text === undefined ? String(v) : text.length > 300 ? text.slice(0, 300) + "…" : text;
  } catch {
    return String(v);
  }
};

function assert(condition, message) {
  if (!condition) throw new AssertionFailed(message || "assertion failed");
}
assert.equal = (actual, expected, what) => {
  if (!Object.is(actual, expected)) throw new AssertionFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`);
};
assert.deepEqual = (actual, expected, what) => {
  if (show(actual) !== show(expected)) throw new AssertionFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`);
};
assert.type = (value, type, what) => {
  if (typeof value !== type) throw new AssertionFailed(`${what}: expected a ${type}, got ${show(value)}`);
};
assert.notContains = (value, secret, what) => {
  if (JSON.stringify(value).includes(secret)) {
    throw new AssertionFailed(`${what} contains the secret`);
  }
};

/** Awaits `promise`, expects it to reject with `Class`; returns the error. */
async function rejects(promise, Class, what) {
  let value;
  try {
    value = await promise;
  } catch (error) {
    if (!(error instanceof Class)) {
      throw new AssertionFailed(`${what}: expected ${Class.name}, got ${error && error.name}: ${error && error.message}`);
    }
    return error;
  }
  throw new AssertionFailed(`${what}: expected ${Class.name}, but it resolved to ${show(value)}`);
}

/** Calls `fn`, expects it to throw `Class` synchronously; returns the error. */
function throws(fn, Class, what) {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Class)) {
      throw new AssertionFailed(`${what}: expected ${Class.name}, got ${error && error.name}: ${error && error.message}`);
    }
    return error;
  }
  throw new AssertionFailed(`${what}: expected ${Class.name} to be thrown`);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------
// the sandbox control API

function makeSandbox(url) {
  const control = async (method, route, body) => {
    const response = await fetch(`${url}/_sandbox/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${route}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    reset: () => control("POST", "reset"),
    seed: (provider, count, prefix) => control("POST", "seed", { provider, count, prefix }),
    /** The provider's keys in their wire shape (no secrets). */
    rawKeys: async (provider) => (await control("GET", `keys/${provider}`)).keys,
    /** Would this raw key authenticate now? */
    valid: async (provider, key) => (await control("POST", "verify", { provider, key })).valid,
    anthropicKey: (name) => control("POST", "anthropic/keys", { name }),
    fault: (rule) => control("POST", "faults", rule),
    clearFaults: () => control("DELETE", "faults"),
  };
}

/** The public id of a key in its wire shape. */
const rawId = (provider, raw) => (provider === "openrouter" ? raw.hash : raw.id);

/** Whether a key in its wire shape is active (not revoked, disabled, archived or expired). */
function rawActive(provider, raw) {
  switch (provider) {
    case "gptcore":
      return raw.attributes.status === "active";
    case "quantum":
      return raw.revoked !== true;
    case "openrouter":
      return raw.disabled !== true;
    case "anthropic":
      return raw.status === "active";
    default:
      return raw.revoked_at == null;
  }
}

/** The arguments an operation is called with when only its refusal matters. */
function sampleArgs(op, provider) {
  const id = UNKNOWN_ID[provider];
  switch (op) {
    case "list": case "listActive": case "usage":
      return [{}];
    case "current":
      return [];
    case "create":
      return [{ name: "never sent" }];
    case "update":
      return [id, { name: "never sent" }];
    case "rotate": case "resetBudgetPeriod":
      return [id, {}];
    case "setBudget":
      return [id, { limit: 1 }];
    default:
      return [id];
  }
}

const KEY_FIELDS = [
  "provider", "id", "name", "hint", "status", "createdAt", "updatedAt", "lastUsedAt", "expiresAt",
  "budget", "usage", "rateLimit", "scopes", "workspaceId", "raw",
];
const STATUSES = ["active", "disabled", "revoked", "expired", "archived"];

/** The canonical key shape, the same for every provider. */
function checkKey(key, provider, what) {
  assert(key && typeof key === "object", `${what}: not an object: ${show(key)}`);
  for (const field of KEY_FIELDS) assert(field in key, `${what}: member ${field} missing in ${show(key)}`);
  assert.equal(key.provider, provider, `${what}.provider`);
  assert.type(key.id, "string", `${what}.id`);
  assert(STATUSES.includes(key.status), `${what}.status is ${show(key.status)}`);
}

// ---------------------------------------------------------------------------------------
// the scenarios

/**
 * Builds the scenario list: `[{ name, provider, run(cx) }]`. `cx` has `ApiKeys`, `errors`,
 * `sb` (control API), `options(extra)` (constructor options for the provider) and
 * `client(extra)` (a new `ApiKeys`).
 */
function scenarios() {
  const list = [];
  const add = (provider, title, run) => list.push({ name: `${provider}: ${title}`, provider, run });

  for (const provider of PROVIDERS) {
    const can = (op) => CAPABILITIES[provider].includes(op);
    const prefix = SECRET_PREFIX[provider];

    add(provider, "supports() matches the capability matrix", async ({ client, options }) => {
      const keys = client();
      assert.equal(keys.provider, provider, "keys.provider");
      const offered = OPERATIONS.filter((op) => keys.supports(op));
      assert.deepEqual(offered, CAPABILITIES[provider], "operations offered");
      assert.equal(keys.supports("noSuchOperation"), false, "supports('noSuchOperation')");
      const json = JSON.stringify(keys);
      assert.deepEqual(JSON.parse(json), { provider, baseUrl: options().baseUrl }, "toJSON()");
      assert(!String(keys).includes(options().apiKey), `toString() shows the key: ${String(keys)}`);
      assert(String(keys).startsWith(`ApiKeys(${provider}, `), `toString(): ${String(keys)}`);
    });

    // ---- reading

    add(provider, "list returns the seeded keys in the canonical shape", async ({ client, sb }) => {
      const raws = await sb.rawKeys(provider);
      const page = await client().list(ALL_KEYS[provider] || {});
      assert(Array.isArray(page.items), "page.items is an array");
      assert("nextCursor" in page, "page.nextCursor present");
      page.items.forEach((k, i) => checkKey(k, provider, `items[${i}]`));
      const ids = page.items.map((k) => k.id).sort();
      assert.deepEqual(ids, raws.map((r) => rawId(provider, r)).sort(), "ids listed vs sandbox");
      const names = page.items.map((k) => k.name);
      assert(names.includes("Production") && names.includes("CI"), `seeded names: ${show(names)}`);
      assert(page.items.some((k) => k.status !== "active"), "one seeded key is not active");
      const production = page.items.find((k) => k.name === "Production");
      const raw = raws.find((r) => rawId(provider, r) === production.id);
      assert.deepEqual(production.raw, raw, "raw is the provider's own JSON");
    });

    add(provider, "listAll iterates every page (onPage progress, toArray, for await)", async ({ client, sb }) => {
      // Enough keys for several pages where the provider pages.
      const pageOptions = { gptcore: { limit: 10 }, anthropic: { limit: 3 } }[provider] || ALL_KEYS[provider] || {};
      const extra = provider === "openrouter" ? 130 : provider === "gptcore" || provider === "anthropic" ? 21 : 5;
      await sb.seed(provider, extra, "e2e-bulk");
      const expected = (await sb.rawKeys(provider)).map((r) => rawId(provider, r)).sort();
      const progress = [];
      const keys = client();
      const all = await keys.listAll({ ...pageOptions, onPage: (p) => progress.push(p) }).toArray();
      assert.deepEqual(all.map((k) => k.id).sort(), expected, "ids of toArray()");
      all.forEach((k, i) => checkKey(k, provider, `key[${i}]`));
      assert(progress.length >= 1, "onPage called");
      const last = progress[progress.length - 1];
      assert.equal(last.keys, expected.length, "last progress.keys");
      assert.equal(last.pages, progress.length, "last progress.pages");
      assert.equal(last.nextCursor, null, "last progress.nextCursor");
      progress.forEach((p, i) => assert.equal(p.pages, i + 1, `progress[${i}].pages`));
      const minPages = { gptcore: 3, openrouter: 2, anthropic: 5 }[provider] || 1;
      assert(progress.length >= minPages, `pages: expected at least ${minPages}, got ${progress.length}`);
      const seen = [];
      for await (const key of keys.listAll(pageOptions)) seen.push(key.id);
      assert.deepEqual(seen.sort(), expected, "ids of for await");
      // Breaking out early stops (and frees) the iterator.
      let count = 0;
      for await (const key of keys.listAll(pageOptions)) {
        if (key.id && ++count === 2) break;
      }
      assert.equal(count, 2, "early break");
    });

    if (can("list") && (provider === "gptcore" || provider === "openrouter" || provider === "anthropic")) {
      add(provider, "list pages with nextCursor", async ({ client, sb }) => {
        const size = provider === "openrouter" ? 100 : 2;
        if (provider === "openrouter") await sb.seed(provider, 110, "e2e-page");
        const keys = client();
        const options = provider === "openrouter" ? {} : { limit: size };
        const first = await keys.list(options);
        assert.equal(first.items.length, size, "first page size");
        assert.type(first.nextCursor, "string", "first.nextCursor");
        const second = await keys.list({ ...options, cursor: first.nextCursor });
        assert(second.items.length > 0, "second page not empty");
        const overlap = second.items.filter((k) => first.items.some((f) => f.id === k.id));
        assert.equal(overlap.length, 0, "keys on both pages");
      });
    }

    if (can("listActive")) {
      add(provider, "listActive returns only the active keys", async ({ client, sb }) => {
        const raws = await sb.rawKeys(provider);
        const page = await client().listActive({});
        page.items.forEach((k, i) => checkKey(k, provider, `items[${i}]`));
        page.items.forEach((k, i) => assert.equal(k.status, "active", `items[${i}].status`));
        const expected = raws.filter((r) => rawActive(provider, r)).map((r) => rawId(provider, r)).sort();
        assert.deepEqual(page.items.map((k) => k.id).sort(), expected, "active ids");
      });
    }

    if (can("get")) {
      add(provider, "get returns one key; an unknown id rejects with NotFoundError", async ({ client, sb, errors }) => {
        const raws = await sb.rawKeys(provider);
        const keys = client();
        for (const raw of raws) {
          const key = await keys.get(rawId(provider, raw));
          checkKey(key, provider, "get()");
          assert.equal(key.id, rawId(provider, raw), "get().id");
          assert.deepEqual(key.raw, raw, "get().raw");
        }
        const error = await rejects(keys.get(UNKNOWN_ID[provider]), errors.NotFoundError, "get(unknown)");
        assert.equal(error.status, 404, "error.status");
        assert.equal(error.provider, provider, "error.provider");
        assert.equal(error.operation, "get", "error.operation");
        assert(error instanceof errors.ApiKeysError && error instanceof Error, "NotFoundError is an ApiKeysError");
      });
    }

    // ---- creating

    if (can("create")) {
      const input = {
        gptcore: { name: "e2e created", keyType: "server", scopes: ["read"], budget: { limit: 500, period: "monthly" } },
        quantum: { name: "e2e created", budget: { limit: 25 }, rateLimit: { requests: 120, periodSeconds: 60 }, region: "europe" },
        openrouter: { name: "e2e created", budget: { limit: 10, period: "daily" } },
        fluxbase: { name: "e2e created", scopes: ["read:tables"], description: "made by e2e", rateLimit: { requests: 30, periodSeconds: 60 } },
      }[provider];
      add(provider, "create returns the secret once; get and list never show it", async ({ client, sb }) => {
        const keys = client();
        // In 30 days, whole seconds, UTC ("Z").
        const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 30 * 86400_000).toISOString().replace(".000Z", "Z");
        const withExpiry = provider === "openrouter" || provider === "fluxbase" || provider === "gptcore";
        const created = await keys.create(withExpiry ? { ...input, expiresAt } : input);
        assert.type(created.secret, "string", "secret");
        assert(created.secret.startsWith(prefix), `secret starts with ${prefix}`);
        assert.equal(created.replacedKeyId, null, "replacedKeyId");
        checkKey(created.key, provider, "created.key");
        assert.equal(created.key.name, "e2e created", "created.key.name");
        assert.equal(created.key.status, "active", "created.key.status");
        assert.notContains(created.key, created.secret, "created.key (incl. raw)");
        if (withExpiry) assert.equal(Date.parse(created.key.expiresAt), Date.parse(expiresAt), "expiresAt");
        assert.equal(await sb.valid(provider, created.secret), true, "sandbox verify of the new secret");
        if (provider === "gptcore" || provider === "quantum" || provider === "openrouter") {
          assert.equal(created.key.budget && created.key.budget.limit, input.budget.limit, "created budget.limit");
        }
        if (provider === "gptcore" || provider === "openrouter") {
          assert.equal(created.key.budget.period, input.budget.period, "created budget.period");
        }
        if (provider === "quantum" || provider === "fluxbase") {
          assert.deepEqual(created.key.rateLimit, { requests: input.rateLimit.requests, periodSeconds: 60 }, "rateLimit");
        }
        if (provider === "fluxbase" || provider === "gptcore") assert.deepEqual(created.key.scopes, input.scopes, "scopes");
        if (can("get")) {
          const again = await keys.get(created.key.id);
          assert.equal(again.name, "e2e created", "get().name");
          assert.notContains(again, created.secret, "get()");
        }
        const page = await keys.list({});
        assert(page.items.some((k) => k.id === created.key.id), "the new key is listed");
        assert.notContains(page, created.secret, "list()");
        assert.notContains(await sb.rawKeys(provider), created.secret, "sandbox state");
      });
    }

    if (provider === "fluxbase") {
      add(provider, "the older api-keys route family works too (routes: \"api-keys\")", async ({ client, sb }) => {
        const keys = client({ routes: "api-keys" });
        const page = await keys.list({});
        assert.equal(page.items.length, (await sb.rawKeys(provider)).length, "keys listed");
        const created = await keys.create({ name: "e2e old routes", scopes: ["read:apikeys"] });
        assert(created.secret.startsWith(prefix), "secret prefix");
        assert.deepEqual((await keys.get(created.key.id)).scopes, ["read:apikeys"], "scopes");
        await keys.delete(created.key.id);
        assert.equal(await sb.valid(provider, created.secret), false, "deleted secret valid");
      });
    }

    if (provider === "anthropic") {
      add(provider, "a key made in the Console (sandbox) is readable, without its secret", async ({ client, sb }) => {
        const made = await sb.anthropicKey("e2e console key");
        assert(made.key.startsWith(prefix), "console secret prefix");
        const key = await client().get(made.data.id);
        checkKey(key, provider, "get()");
        assert.equal(key.name, "e2e console key", "name");
        assert.equal(key.status, "active", "status");
        assert.type(key.hint, "string", "hint");
        assert.notContains(key, made.key, "get()");
        assert.notContains(await client().list({}), made.key, "list()");
        assert.equal(await sb.valid(provider, made.key), true, "verify");
      });
    }

    // ---- changing

    if (can("update")) {
      add(provider, "update changes only the given fields", async ({ client, sb }) => {
        const keys = client();
        const target = await makeKey(provider, keys, sb, "e2e to update");
        const patch = {
          gptcore: { name: "e2e updated", scopes: ["read", "write"] },
          openrouter: { name: "e2e updated", includeByokInLimit: true },
          anthropic: { name: "e2e updated" },
          fluxbase: { name: "e2e updated", description: "changed", scopes: ["read:tables", "write:tables"] },
        }[provider];
        const updated = await keys.update(target.id, patch);
        checkKey(updated, provider, "update()");
        assert.equal(updated.id, target.id, "id");
        assert.equal(updated.name, "e2e updated", "name");
        assert.equal(updated.status, "active", "status");
        if (patch.scopes) assert.deepEqual(updated.scopes, patch.scopes, "scopes");
        if (provider === "openrouter") assert.equal(updated.raw.include_byok_in_limit, true, "raw.include_byok_in_limit");
        if (provider === "fluxbase") assert.equal(updated.raw.description, "changed", "raw.description");
        const again = await keys.get(target.id);
        assert.equal(again.name, "e2e updated", "get().name after update");
        if (provider === "anthropic") {
          const archived = await keys.update(target.id, { archived: true });
          assert.equal(archived.status, "archived", "status after archived: true");
        }
      });
    }

    if (provider === "anthropic") {
      add(provider, "an archived key cannot change (BadRequestError from the API)", async ({ client, sb, errors }) => {
        const keys = client();
        const archived = (await sb.rawKeys(provider)).find((r) => r.status === "archived");
        const error = await rejects(keys.update(archived.id, { name: "nope" }), errors.BadRequestError, "update(archived)");
        assert.equal(error.status, 400, "status");
        assert(error.requestId && error.requestId.startsWith("req_"), `requestId: ${error.requestId}`);
      });
    }

    if (can("revoke")) {
      add(provider, "revoke stops the key", async ({ client, sb }) => {
        const keys = client();
        const { id, secret } = await makeKey(provider, keys, sb, "e2e to revoke");
        assert.equal(await sb.valid(provider, secret), true, "valid before revoke");
        const revoked = await keys.revoke(id);
        checkKey(revoked, provider, "revoke()");
        assert.equal(revoked.id, id, "id");
        const status = provider === "openrouter" || provider === "anthropic" ? "disabled" : "revoked";
        assert.equal(revoked.status, status, "status");
        assert.equal(await sb.valid(provider, secret), false, "valid after revoke");
        const listed = (await keys.list(provider === "openrouter" ? { includeDisabled: true } : {})).items.find((k) => k.id === id);
        assert(listed, "still listed");
        assert.equal(listed.status, status, "listed status");
        if (can("get")) assert.equal((await keys.get(id)).status, status, "get().status");
        if (can("listActive")) {
          assert(!(await keys.listActive({})).items.some((k) => k.id === id), "not in listActive");
        }
      });
    }

    if (can("enable")) {
      add(provider, "enable turns a revoked (disabled) key back on", async ({ client, sb }) => {
        const keys = client();
        const { id, secret } = await makeKey(provider, keys, sb, "e2e to enable");
        await keys.revoke(id);
        assert.equal(await sb.valid(provider, secret), false, "valid while disabled");
        const enabled = await keys.enable(id);
        checkKey(enabled, provider, "enable()");
        assert.equal(enabled.status, "active", "status");
        assert.equal(await sb.valid(provider, secret), true, "valid after enable");
        assert((await keys.listActive({})).items.some((k) => k.id === id), "in listActive again");
      });
    }

    if (can("rotate")) {
      add(provider, "rotate mints a new secret and retires the old one", async ({ client, sb, errors }) => {
        const keys = client();
        const made = await keys.create({ name: "e2e to rotate" });
        const options = provider === "quantum" ? { graceSeconds: 0 } : {};
        const rotated = await keys.rotate(made.key.id, options);
        checkKey(rotated.key, provider, "rotate().key");
        assert(rotated.secret.startsWith(prefix), "new secret prefix");
        assert(rotated.secret !== made.secret, "new secret differs");
        assert.notContains(rotated.key, rotated.secret, "rotate().key");
        assert.equal(await sb.valid(provider, rotated.secret), true, "new secret valid");
        assert.equal(await sb.valid(provider, made.secret), false, "old secret valid");
        if (rotated.key.id !== made.key.id) {
          assert.equal(rotated.replacedKeyId, made.key.id, "replacedKeyId");
        } else {
          assert.equal(rotated.replacedKeyId, null, "replacedKeyId (same id)");
        }
        if (provider === "quantum") {
          assert(rotated.key.id !== made.key.id, "Quantum rotation gives a new id");
          const error = await rejects(keys.rotate(made.key.id, {}), errors.ConflictError, "second rotate");
          assert.equal(error.status, 409, "status");
          assert.equal(error.code, "invalid_state", "code");
        } else {
          assert.equal(rotated.key.status, "active", "status");
        }
      });
    }

    if (provider === "quantum") {
      add(provider, "rotate with graceSeconds keeps the old secret working", async ({ client, sb }) => {
        const keys = client();
        const made = await keys.create({ name: "e2e rotate with grace" });
        const rotated = await keys.rotate(made.key.id, { graceSeconds: 3600 });
        assert.equal(rotated.replacedKeyId, made.key.id, "replacedKeyId");
        assert.equal(await sb.valid(provider, rotated.secret), true, "new secret valid");
        assert.equal(await sb.valid(provider, made.secret), true, "old secret still valid during grace");
        const listed = (await keys.list({})).items;
        assert(listed.some((k) => k.id === rotated.key.id), "new key listed");
      });
    }

    if (can("delete")) {
      add(provider, "delete removes the key (then get rejects with NotFoundError)", async ({ client, sb, errors }) => {
        const keys = client();
        const { id, secret } = await makeKey(provider, keys, sb, "e2e to delete");
        const result = await keys.delete(id);
        assert.equal(result, undefined, "delete() resolves to undefined");
        const error = await rejects(keys.get(id), errors.NotFoundError, "get(deleted)");
        assert.equal(error.status, 404, "status");
        assert.equal(await sb.valid(provider, secret), false, "deleted secret valid");
        assert(!(await sb.rawKeys(provider)).some((r) => rawId(provider, r) === id), "gone from the sandbox");
        await rejects(keys.delete(id), errors.NotFoundError, "delete(deleted)");
      });
    }

    // ---- budgets and usage

    if (can("setBudget")) {
      add(provider, "setBudget sets and (with null) removes the limit", async ({ client, sb }) => {
        const keys = client();
        const { id } = await makeKey(provider, keys, sb, "e2e budget");
        const set = await keys.setBudget(id, { limit: 42, period: "weekly" });
        checkKey(set, provider, "setBudget()");
        assert.equal(set.budget.limit, 42, "budget.limit");
        assert.equal(set.budget.period, "weekly", "budget.period");
        const read = await keys.get(id);
        assert.equal(read.budget.limit, 42, "get().budget.limit");
        if (provider === "gptcore" || provider === "openrouter") {
          // GPT Core sends `budget_remaining` only when asked by name: every read asks.
          assert.equal(typeof read.budget.remaining, "number", "get().budget.remaining, which the provider reports");
          assert.equal(set.budget.remaining, read.budget.remaining, "setBudget() and get() agree on budget.remaining");
          const listed = (await keys.listAll().toArray()).find((k) => k.id === id);
          assert.equal(listed.budget.remaining, read.budget.remaining, "listAll() agrees on budget.remaining");
        }
        const removed = await keys.setBudget(id, { limit: null, period: null });
        assert.equal(removed.budget === null ? null : removed.budget.limit, null, "budget.limit after null");
        const again = await keys.get(id);
        assert.equal(again.budget === null ? null : again.budget.limit, null, "get().budget.limit after null");
      });
    }

    if (can("resetBudgetPeriod")) {
      add(provider, "resetBudgetPeriod starts the period again", async ({ client, sb }) => {
        const keys = client();
        const production = (await sb.rawKeys(provider)).find((r) => r.attributes.name === "Production");
        assert(production.attributes.period_credits_used > 0, "seed has used credits");
        const before = production.attributes.period_started_at;
        const reset = await keys.resetBudgetPeriod(production.id, {});
        checkKey(reset, provider, "resetBudgetPeriod()");
        const after = (await sb.rawKeys(provider)).find((r) => r.id === production.id).attributes;
        assert(after.period_started_at > before, `period_started_at moved: ${before} → ${after.period_started_at}`);
        assert.equal(after.period_credits_used, 0, "period_credits_used");
        const start = "2026-01-01T00:00:00.000Z";
        await keys.resetBudgetPeriod(production.id, { periodStartedAt: start });
        const fixed = (await sb.rawKeys(provider)).find((r) => r.id === production.id).attributes;
        assert.equal(Date.parse(fixed.period_started_at), Date.parse(start), "period_started_at as given");
      });
    }

    if (can("usage")) {
      add(provider, "usage reports statistics", async ({ client, sb, errors }) => {
        const keys = client();
        if (provider === "gptcore") {
          // The tenant comes from a seeded key's own JSON (`raw.attributes.tenant_id`).
          const seeded = (await keys.list({})).items;
          const tenantId = seeded.find((k) => k.name === "Production").raw.attributes.tenant_id;
          assert.equal(tenantId, GPTCORE_SEED_TENANT, "seed tenant");
          const usage = await keys.usage({ tenantId });
          assert(Array.isArray(usage.days) && Array.isArray(usage.keys), "days and keys are arrays");
          assert(usage.raw && typeof usage.raw === "object", "raw");
          assert.equal(usage.unit, "credits", "unit");
          usage.keys.forEach((k, i) => checkKey(k, provider, `usage.keys[${i}]`));
          assert.deepEqual(usage.keys.map((k) => k.id).sort(), seeded.map((k) => k.id).sort(), "keys of the tenant");
          const sum = (f) => usage.keys.reduce((total, k) => total + f(k), 0);
          assert.equal(usage.totalRequests, sum((k) => k.usage.requests), "totalRequests = sum over keys");
          assert.equal(usage.totalCost, sum((k) => k.usage.total), "totalCost = sum over keys");
          assert(usage.totalRequests > 0, "some requests");
          const budgets = (items) => items.map((k) => [k.id, k.budget?.remaining ?? null, k.budget?.resetsAt ?? null]).sort();
          const [fromUsage, fromList] = [budgets(usage.keys), budgets(seeded)].map((b) => JSON.stringify(b));
          assert(fromUsage === fromList, `the budget's remaining and reset time, as list reads them: ${fromUsage} vs ${fromList}`);
          assert(usage.keys.some((k) => k.budget?.remaining != null), "some key has a remaining budget");
          const missing = await rejects(keys.usage({}), errors.ValidationError, "usage without tenantId");
          assert(missing.fields.some((f) => f.field === "tenantId"), `fields: ${show(missing.fields)}`);
        } else {
          const id = (await sb.rawKeys(provider)).find((r) => r.name === "Production").id;
          const usage = await keys.usage({ keyId: id });
          assert.equal(usage.keyId, id, "keyId");
          assert.equal(usage.unit, "usd", "unit");
          assert.equal(usage.days.length, 7, "days");
          for (const day of usage.days) {
            assert.type(day.date, "string", "day.date");
            assert.type(day.requests, "number", "day.requests");
            assert.type(day.cost, "number", "day.cost");
          }
          assert.type(usage.totalCost, "number", "totalCost");
          assert.equal(usage.totalRequests, usage.days.reduce((s, d) => s + d.requests, 0), "totalRequests");
          const again = await keys.usage({ keyId: id });
          assert.deepEqual(again.days, usage.days, "usage is stable");
        }
      });
    }

    if (can("current")) {
      add(provider, "current describes the key in use", async ({ client, ApiKeys, options }) => {
        const mine = await client().current();
        checkKey(mine, provider, "current() (management key)");
        const made = await client().create({ name: "e2e current" });
        const asNewKey = new ApiKeys(options({ apiKey: made.secret }));
        const current = await asNewKey.current();
        checkKey(current, provider, "current() (new key)");
        assert.equal(current.hint, made.key.hint, "hint");
        assert.equal(current.status, "active", "status");
        assert.notContains(current, made.secret, "current()");
      });
    }

    // ---- refusals

    for (const op of OPERATIONS.filter((o) => !can(o))) {
      add(provider, `${op} is unsupported: UnsupportedOperationError, nothing sent`, async ({ ApiKeys, options, errors }) => {
        const sent = [];
        const keys = new ApiKeys(options({ fetch: (url, init) => (sent.push(url), fetch(url, init)) }));
        assert.equal(keys.supports(op), false, `supports(${op})`);
        const error = await rejects(Promise.resolve().then(() => keys[op](...sampleArgs(op, provider))), errors.UnsupportedOperationError, op);
        assert(error instanceof errors.ApiKeysError, "is an ApiKeysError");
        assert.equal(error.provider, provider, "error.provider");
        assert.equal(error.operation, op, "error.operation");
        assert.equal(error.status, null, "error.status");
        assert.deepEqual(sent, [], "requests sent");
      });
    }

    add(provider, "a wrong management key rejects with AuthenticationError (401)", async ({ ApiKeys, options, errors }) => {
      const wrong = `${prefix}e2e_wrong_management_key`;
      const keys = new ApiKeys(options({ apiKey: wrong }));
      const error = await rejects(keys.list({}), errors.AuthenticationError, "list() with a wrong key");
      assert.equal(error.status, 401, "status");
      assert.equal(error.provider, provider, "provider");
      assert.equal(error.operation, "list", "operation");
      const walkError = await rejects(keys.listAll().next(), errors.AuthenticationError, "listAll() with a wrong key");
      assert.equal(walkError.operation, "listAll", "a listAll page's error names listAll");
      assert(error instanceof errors.ApiKeysError, "is an ApiKeysError");
      assert(!String(error.message).includes(wrong), "message carries the key");
      assert.notContains(error.toJSON(), wrong, "toJSON()");
      assert.notContains(error.stack || "", wrong, "stack");
    });

    add(provider, "bad input rejects with ValidationError listing the fields; nothing sent", async ({ ApiKeys, options, errors }) => {
      const sent = [];
      const keys = new ApiKeys(options({ fetch: (url, init) => (sent.push(url), fetch(url, init)) }));
      const [call, field] = {
        gptcore: [() => keys.create({ name: "x", keyType: "bogus", tenantId: "not-a-uuid" }), "keyType"],
        quantum: [() => keys.create({ region: "mars" }), "name"],
        openrouter: [() => keys.create({ budget: { limit: 5, period: "yearly" } }), "name"],
        anthropic: [() => keys.update(UNKNOWN_ID.anthropic, { archived: false }), "archived"],
        fluxbase: [() => keys.create({ name: "x", scopes: ["read:everything"], rateLimit: { requests: 0 } }), "scopes[0]"],
      }[provider];
      const error = await rejects(Promise.resolve().then(call), errors.ValidationError, "bad input");
      assert(Array.isArray(error.fields) && error.fields.length > 0, `fields: ${show(error.fields)}`);
      for (const f of error.fields) assert(typeof f.field === "string" && typeof f.message === "string", `field ${show(f)}`);
      assert(error.fields.some((f) => f.field === field), `fields name ${field}: ${show(error.fields)}`);
      if (provider !== "anthropic") assert(error.fields.length >= 2, `every problem reported: ${show(error.fields)}`);
      const unknown = await rejects(Promise.resolve().then(() => keys.list({ noSuchOption: 1 })), errors.ValidationError, "unknown list option");
      assert(unknown.fields.some((f) => f.field.includes("noSuchOption")), `fields: ${show(unknown.fields)}`);
      assert.deepEqual(sent, [], "requests sent");
      const ctor = throws(
        () => new ApiKeys({ provider, apiKey: "", baseUrl: "ftp://example.com", maxRetries: -1 }),
        errors.ValidationError,
        "constructor with bad options",
      );
      assert(ctor.fields.length >= 2, `constructor fields: ${show(ctor.fields)}`);
      throws(() => new ApiKeys({ ...options(), provider: "nope" }), errors.ValidationError, "unknown provider");
    });
  }

  // ---- transport behaviour (timers, AbortSignal, retries) in this runtime: one provider suffices

  add("openrouter", "a 503 is retried, then succeeds; a hanging call times out; an abort aborts", async ({ client, sb, errors }) => {
    const events = [];
    const keys = client({ logger: (e) => events.push(e), maxRetries: 2 });
    await sb.fault({ provider: "openrouter", method: "GET", path: "/keys", times: 1, fault: { status: 503 } });
    const page = await keys.list({ includeDisabled: true });
    assert.equal(page.items.length, 4, "listed after retry");
    assert(events.some((e) => e.type === "retry"), `retry logged: ${show(events)}`);
    const request = events.find((e) => e.type === "request");
    assert.equal(request.headers.authorization, "[redacted]", "logged credential header");
    await sb.clearFaults();

    const slow = client({ headers: { "x-sandbox-fault": JSON.stringify({ delayMs: 1500 }) }, maxRetries: 0 });
    const started = Date.now();
    const timedOut = await rejects(slow.list({}, { timeoutMs: 200 }), errors.TimeoutError, "timeoutMs");
    assert(Date.now() - started < 1400, "timed out early");
    assert.equal(timedOut.operation, "list", "timeout operation");

    const controller = new AbortController();
    const pending = slow.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await rejects(pending, errors.AbortError, "abort");
  });

  return list;
}

/** A fresh key `{ id, secret }` of the provider (Anthropic: made in the sandbox Console). */
async function makeKey(provider, keys, sb, name) {
  if (provider === "anthropic") {
    const made = await sb.anthropicKey(name);
    return { id: made.data.id, secret: made.key };
  }
  const input = provider === "fluxbase" ? { name, scopes: ["read:tables"] } : { name };
  const created = await keys.create(input);
  return { id: created.key.id, secret: created.secret };
}

/** The scenario names, in run order: the same in every runtime (`only`: these providers). */
export function scenarioNames(only) {
  return scenarios().filter((s) => !only || only.includes(s.provider)).map((s) => s.name);
}

/**
 * Runs every scenario, one provider after the other, each from the sandbox's seed state
 * (reset before every scenario, so one failure does not cascade). Resolves to `[{ name, ok, error?, ms }]`; never rejects.
 * `only`: optional list of providers to run (the others are not reported).
 */
export async function runAll({ ApiKeys, errors, sandbox, only } = {}) {
  const results = [];
  const list = scenarios().filter((s) => !only || only.includes(s.provider));
  let sb;
  try {
    if (typeof ApiKeys !== "function") throw new Error("ApiKeys is not a class");
    for (const name of ["ApiKeysError", "ValidationError", "UnsupportedOperationError", "NotFoundError", "AuthenticationError"]) {
      if (typeof (errors && errors[name]) !== "function") throw new Error(`errors.${name} is missing`);
    }
    if (!sandbox || !sandbox.url || !sandbox.info) throw new Error("sandbox { url, info } is required");
    sb = makeSandbox(sandbox.url.replace(/\/$/, ""));
  } catch (error) {
    return list.map((s) => ({ name: s.name, ok: false, error: `setup: ${describe(error)}`, ms: 0 }));
  }
  for (const scenario of list) {
    const started = Date.now();
    try {
      // Every scenario starts from the seed state (a reset takes about a millisecond).
      await sb.reset();
      const p = sandbox.info.providers[scenario.provider];
      const options = (extra = {}) => ({
        provider: scenario.provider,
        apiKey: p.managementKey,
        baseUrl: p.baseUrl,
        timeoutMs: 10000,
        ...extra,
      });
      const cx = { ApiKeys, errors, sb, options, client: (extra) => new ApiKeys(options(extra)) };
      await withTimeout(Promise.resolve().then(() => scenario.run(cx)), SCENARIO_TIMEOUT_MS, scenario.name);
      results.push({ name: scenario.name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name: scenario.name, ok: false, error: describe(error), ms: Date.now() - started });
    }
  }
  return results;
}

function describe(error) {
  if (error instanceof AssertionFailed) return error.message;
  if (error && typeof error === "object") {
    const details = typeof error.toJSON === "function" ? error.toJSON() : null;
    const head = `${error.name || "Error"}: ${error.message}`;
    const extra = details ? ` ${show(details)}` : "";
    const stack = error.stack ? `\n${String(error.stack).split("\n").slice(1, 6).join("\n")}` : "";
    return head + extra + stack;
  }
  return String(error);
}

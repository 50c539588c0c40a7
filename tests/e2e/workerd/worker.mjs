// A Cloudflare Worker that uses apikeys-wasm the way a Workers user would: the package
// by its name (the "workerd" export condition, workerd.js, which imports the .wasm as a
// compiled WebAssembly.Module). GET /run?sandbox=<url>[&providers=a,b][&entry=anthropic] runs
// the e2e scenarios against the sandbox and answers their results as JSON; with `entry`, through
// the one-provider entry "apikeys-wasm/anthropic" instead. GET /module-scope answers how calls
// made at module scope, where workerd refuses timers and fetch, ended.
import * as pkg from "apikeys-wasm";
import * as anthropicEntry from "apikeys-wasm/anthropic";
import { runAll } from "./scenarios.mjs";

// A client may be made here; its calls must wait for a handler.
const early = new pkg.ApiKeys({ provider: "openrouter", apiKey: "sk-or-v1-module-scope", baseUrl: "http://127.0.0.1:9/api/v1" });
const atModuleScope = Promise.allSettled([early.get("k1"), early.create({ name: "early" }), early.get("k1", { signal: AbortSignal.abort() })]);

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/module-scope") {
      const ended = (await atModuleScope).map(({ reason: e }) => ({ name: e?.name, apiKeysError: e instanceof pkg.ApiKeysError, message: e?.message }));
      return Response.json(ended);
    }
    const query = new URL(request.url).searchParams;
    const url = query.get("sandbox");
    if (!url) return new Response("missing ?sandbox=", { status: 400 });
    const only = query.get("providers") ? query.get("providers").split(",") : undefined;
    const info = await (await fetch(`${url}/_sandbox/info`)).json();
    const lib = query.get("entry") === "anthropic" ? anthropicEntry : pkg;
    const results = await runAll({ ApiKeys: lib.ApiKeys, errors: lib, sandbox: { url, info }, only });
    return Response.json({ results });
  },
};

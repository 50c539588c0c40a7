// A Cloudflare Worker that uses apikeys-wasm the way a Workers user would: the package
// by its name (the "workerd" export condition, workerd.js, which imports the .wasm as a
// compiled WebAssembly.Module). GET /run?sandbox=<url>[&providers=a,b][&entry=anthropic] runs
// the e2e scenarios against the sandbox and answers their results as JSON; with `entry`, through
// the one-provider entry "apikeys-wasm/anthropic" instead.
import * as pkg from "apikeys-wasm";
import * as anthropicEntry from "apikeys-wasm/anthropic";
import { runAll } from "./scenarios.mjs";

export default {
  async fetch(request) {
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

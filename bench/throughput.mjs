// Throughput against one local server (the sandbox): listAll over 10 000 seeded OpenRouter keys
// (page size 100) and 1 000 sequential gets of existing keys, for
//   floor  = a hand-written fetch + JSON.parse loop (the least any client can do),
//   ours   = apikeys-wasm (node.js entry),
//   sdk    = @openrouter/sdk 1.3.19 standalone functions (apiKeysList / apiKeysGet),
// and the same for Anthropic (10 000 seeded keys, limit=100 pages, retrieve) with
// @anthropic-ai/sdk 1.14.0. Same process, same server, interleaved rounds, a warm-up round
// first. listAll: one walk per contender a round (random order), gc() before each. Gets: the
// round's 1000 gets in blocks of 50, the contenders taking turns block by block (who goes
// first rotates), a minor gc() before each block, untimed: every contender meets the same
// moments of the machine's load, and none pays for another's garbage. Each contender's time is
// divided by the floor's time of the same round (and ours, with and without prefetch, by the
// SDK's); the tables give the median of those ratios.
import { OpenRouterCore } from "@openrouter/sdk/core.js";
import { apiKeysGet } from "@openrouter/sdk/funcs/apiKeysGet.js";
import { apiKeysList } from "@openrouter/sdk/funcs/apiKeysList.js";
import { HTTPClient } from "@openrouter/sdk/lib/http.js";
import Anthropic from "@anthropic-ai/sdk";
import { ApiKeys } from "../pkg/node.js";
import { log, median, quantile, quick, seedListedOpenRouter, shuffled, startSandbox, writeResult } from "./lib.mjs";

const SEEDED = quick ? 1000 : 10_000;
const GETS = quick ? 100 : 1000;
/** Gets a contender makes before the next one takes its turn (25–40 ms here). */
const GET_BLOCK = quick ? 10 : 50;
// 15 rounds: single rounds' ratios spread by about ±0.1 on this shared machine (their interquartile
// range); more rounds steady the median, at about 25 s a round.
const ROUNDS = quick ? 2 : 15;
/** The slow-link suite: every OpenRouter GET answered after this delay, fewer rounds and gets. */
const LINK_DELAY_MS = 20;
const LINK_ROUNDS = quick ? 1 : 3;
const LINK_GETS = quick ? 10 : 100;
const gc = globalThis.gc ?? (() => {});

const sb = await startSandbox();
try {
  const or = sb.options("openrouter");
  const an = sb.options("anthropic");

  // ---------------- OpenRouter contenders
  const orHeaders = { authorization: `Bearer ${or.apiKey}`, accept: "application/json" };
  const floorOpenRouter = (f) => ({
    async listAll() {
      let n = 0;
      for (let offset = 0; ; ) {
        const r = await f(`${or.baseUrl}/keys?offset=${offset}`, { method: "GET", headers: orHeaders });
        if (!r.ok) throw new Error(`floor list: ${r.status}`);
        const page = JSON.parse(await r.text()).data;
        n += page.length;
        offset += page.length;
        if (page.length < 100) return n;
      }
    },
    async get(id) {
      const r = await f(`${or.baseUrl}/keys/${id}`, { method: "GET", headers: orHeaders });
      if (!r.ok) throw new Error(`floor get: ${r.status}`);
      return JSON.parse(await r.text()).data;
    },
  });
  const oursFor = (options, walkOptions = {}) => {
    const keys = new ApiKeys(options);
    return {
      async listAll(listOptions) {
        let n = 0;
        for await (const _ of keys.listAll({ ...listOptions, ...walkOptions })) n++;
        return n;
      },
      get: (id) => keys.get(id),
    };
  };
  const sdkOpenRouter = (() => {
    const core = new OpenRouterCore({ apiKey: or.apiKey, serverURL: or.baseUrl, httpClient: new HTTPClient({ fetcher: (input, init) => fetch(input, init) }) });
    const ok = (result) => {
      if (!result.ok) throw result.error;
      return result.value;
    };
    return {
      async listAll() {
        let n = 0;
        for (let offset = 0; ; ) {
          const page = ok(await apiKeysList(core, { offset })).data;
          n += page.length;
          offset += page.length;
          if (page.length < 100) return n;
        }
      },
      get: async (hash) => ok(await apiKeysGet(core, { hash })).data,
    };
  })();

  // ---------------- Anthropic contenders
  const anHeaders = { "x-api-key": an.apiKey, "anthropic-version": "2023-06-01", accept: "application/json" };
  const floorAnthropic = {
    async listAll() {
      let n = 0;
      for (let after = null; ; ) {
        const q = after ? `?limit=100&after_id=${after}` : "?limit=100";
        const r = await fetch(`${an.baseUrl}/v1/organizations/api_keys${q}`, { method: "GET", headers: anHeaders });
        if (!r.ok) throw new Error(`floor list: ${r.status}`);
        const page = JSON.parse(await r.text());
        n += page.data.length;
        if (!page.has_more) return n;
        after = page.last_id;
      }
    },
    async get(id) {
      const r = await fetch(`${an.baseUrl}/v1/organizations/api_keys/${id}`, { method: "GET", headers: anHeaders });
      if (!r.ok) throw new Error(`floor get: ${r.status}`);
      return JSON.parse(await r.text());
    },
  };
  const sdkAnthropic = (() => {
    const client = new Anthropic({ apiKey: an.apiKey, baseURL: an.baseUrl });
    return {
      async listAll() {
        let n = 0;
        for await (const _ of client.organization.apiKeys.list({ limit: 100 })) n++;
        return n;
      },
      get: (id) => client.organization.apiKeys.retrieve(id),
    };
  })();

  // Seeded so that exactly SEEDED keys are listed, as issue 8 asks (the sandbox starts with a
  // few keys of its own): 100 full pages, and every contender asks for one more to see the end.
  await seedListedOpenRouter(sb, SEEDED);
  await sb.seed("anthropic", SEEDED - (await floorAnthropic.listAll()));
  const orIds = (await sb.keys("openrouter")).keys.map((k) => k.hash);
  const anIds = (await sb.keys("anthropic")).keys.map((k) => k.id);
  const pick = (ids) => Array.from({ length: GETS }, (_, i) => ids[Math.floor((i * ids.length) / GETS)]);
  const orGets = pick(orIds);
  const anGets = pick(anIds.filter(Boolean));

  const BASELINE = { ours: "floor", "ours, prefetch: false": "floor", sdk: "floor" };
  const openRouterContenders = () => ({
    floor: floorOpenRouter(fetch),
    ours: oursFor(sb.options("openrouter")),
    "ours, prefetch: false": oursFor(sb.options("openrouter"), { prefetch: false }),
    sdk: sdkOpenRouter,
  });
  const suites = [
    {
      provider: "openrouter",
      gets: orGets,
      listOptions: undefined,
      contenders: openRouterContenders(),
      baseline: BASELINE,
    },
    {
      provider: "anthropic",
      gets: anGets,
      listOptions: { limit: 100 },
      contenders: {
        floor: floorAnthropic,
        ours: oursFor(sb.options("anthropic")),
        "ours, prefetch: false": oursFor(sb.options("anthropic"), { prefetch: false }),
        sdk: sdkAnthropic,
      },
      baseline: BASELINE,
    },
    {
      // What prefetch is for: a real network, where each page waits on the link.
      provider: "openrouter",
      link: `every GET answered after ${LINK_DELAY_MS} ms`,
      rounds: LINK_ROUNDS,
      gets: orGets.slice(0, LINK_GETS),
      listOptions: undefined,
      setup: () => sb.fault({ provider: "openrouter", method: "GET", times: 1_000_000_000, fault: { delayMs: LINK_DELAY_MS } }),
      teardown: () => sb.clearFaults(),
      contenders: openRouterContenders(),
      baseline: BASELINE,
    },
  ];

  const timed = async (fn, collect = gc) => {
    collect();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = await fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { value, wall, cpu: (c.user + c.system) / 1000 };
  };

  /** One round of gets, block by block (see the top): each contender's summed wall and CPU ms. */
  const blockwiseGets = async (suite, names) => {
    const order = shuffled(names);
    const sums = Object.fromEntries(names.map((name) => [name, { wall: 0, cpu: 0 }]));
    const minorGc = () => gc({ type: "minor" });
    gc();
    for (let at = 0, block = 0; at < suite.gets.length; at += GET_BLOCK, block++) {
      const ids = suite.gets.slice(at, at + GET_BLOCK);
      for (let turn = 0; turn < order.length; turn++) {
        const name = order[(turn + block) % order.length];
        const c = suite.contenders[name];
        const t = await timed(async () => {
          for (const id of ids) await c.get(id);
        }, minorGc);
        sums[name].wall += t.wall;
        sums[name].cpu += t.cpu;
      }
    }
    return sums;
  };

  const results = [];
  for (const suite of suites) {
    const names = Object.keys(suite.contenders);
    const rows = Object.fromEntries(names.map((n) => [n, { list: [], get: [], listCpu: [], getCpu: [], count: null }]));
    const rounds = suite.rounds ?? ROUNDS;
    await suite.setup?.();
    for (let round = 0; round <= rounds; round++) {
      for (const name of shuffled(names)) {
        const list = await timed(() => suite.contenders[name].listAll(suite.listOptions));
        if (rows[name].count === null) rows[name].count = list.value;
        else if (rows[name].count !== list.value) throw new Error(`${name}: ${list.value} keys, before ${rows[name].count}`);
        if (round === 0) continue; // warm-up
        rows[name].list.push(list.wall);
        rows[name].listCpu.push(list.cpu);
      }
      const gets = await blockwiseGets(suite, names);
      if (round === 0) continue;
      for (const name of names) {
        rows[name].get.push(gets[name].wall);
        rows[name].getCpu.push(gets[name].cpu);
      }
      log(`${suite.provider}${suite.link ? ` (${suite.link})` : ""} throughput round ${round}/${rounds}`);
    }
    await suite.teardown?.();
    const counts = new Set(names.map((n) => rows[n].count));
    if (counts.size !== 1) throw new Error(`${suite.provider}: contenders listed different counts ${[...counts]}`);
    /** Each round's time divided by the baseline's in the same round. */
    const ratios = (name, metric) => {
      const base = suite.baseline[name];
      return base ? rows[name][metric].map((v, i) => v / rows[base][metric][i]) : rows[name][metric].map(() => 1);
    };
    const ratio = (name, metric) => median(ratios(name, metric));
    const ratioIqr = (name, metric) => [quantile(ratios(name, metric), 0.25), quantile(ratios(name, metric), 0.75)];
    /** A contender of ours ÷ the SDK, round by round (below 1: ours faster), with its interquartile range. */
    const versusSdk = (name, metric) => {
      const paired = rows[name][metric].map((v, i) => v / rows.sdk[metric][i]);
      return { median: median(paired), iqr: [quantile(paired, 0.25), quantile(paired, 0.75)] };
    };
    results.push({
      provider: suite.provider,
      link: suite.link ?? null,
      keys: [...counts][0],
      gets: suite.gets.length,
      rounds,
      getBlock: GET_BLOCK,
      oursVersusSdk: { listAll: versusSdk("ours", "list"), gets: versusSdk("ours", "get") },
      // like for like: one request at a time, as the SDKs and the floor walk
      noPrefetchVersusSdk: { listAll: versusSdk("ours, prefetch: false", "list"), gets: versusSdk("ours, prefetch: false", "get") },
      contenders: names.map((name) => ({
        name,
        baseline: suite.baseline[name] ?? null,
        listAllMs: median(rows[name].list),
        listAllMsIqr: [quantile(rows[name].list, 0.25), quantile(rows[name].list, 0.75)],
        getsMs: median(rows[name].get),
        getsMsIqr: [quantile(rows[name].get, 0.25), quantile(rows[name].get, 0.75)],
        listAllCpuMs: median(rows[name].listCpu),
        getsCpuMs: median(rows[name].getCpu),
        listAllRatio: ratio(name, "list"),
        listAllRatioIqr: ratioIqr(name, "list"),
        getsRatio: ratio(name, "get"),
        getsRatioIqr: ratioIqr(name, "get"),
        listAllCpuRatio: ratio(name, "listCpu"),
        getsCpuRatio: ratio(name, "getCpu"),
      })),
    });
    for (const c of results.at(-1).contenders) {
      log(suite.provider, c.name.padEnd(8), `listAll ${c.listAllMs.toFixed(1)} ms ×${c.listAllRatio.toFixed(3)}`, `gets ${c.getsMs.toFixed(1)} ms ×${c.getsRatio.toFixed(3)}`, `cpu ×${c.listAllCpuRatio.toFixed(2)}/×${c.getsCpuRatio.toFixed(2)}`);
    }
  }
  writeResult("throughput", { seeded: SEEDED, pageSize: sb.info.pageSize, results });
} finally {
  await sb.stop();
}

// Where our listAll spends its CPU: a V8 CPU profile of listAll runs over 10 000 OpenRouter
// keys (profile-child.mjs: the walks only, after a warm-up walk), self time grouped into wasm
// code, the wasm-bindgen JS glue (apikeys.js), the JSON.parse of the body for `raw`, Node's
// fetch (undici) and the rest, plus the top glue functions.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { benchDir, log, quick, seedListedOpenRouter, startSandbox, writeResult } from "./lib.mjs";

const run = promisify(execFile);
const sb = await startSandbox();
const dir = mkdtempSync(path.join(tmpdir(), "apikeys-bench-prof-"));
try {
  const listed = quick ? 1000 : 10_000;
  await seedListedOpenRouter(sb, listed);
  const o = sb.options("openrouter");
  const file = path.join(dir, "listAll.cpuprofile");
  const { stdout } = await run(process.execPath, [path.join(benchDir, "profile-child.mjs"), o.baseUrl, o.apiKey, file], { cwd: benchDir });
  const { runs } = JSON.parse(stdout);
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
  const parents = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
  /** Whether a wasm frame is undici's (its llhttp parser): the nearest JS frame above it is undici's. */
  const calledByUndici = (id) => {
    let { url } = nodes.get(id).callFrame;
    while (url.startsWith("wasm://") && parents.has(id)) url = nodes.get((id = parents.get(id))).callFrame.url;
    return url.includes("undici");
  };
  const groups = {};
  const glue = {};
  const other = {};
  for (const [id, us] of self) {
    const { functionName: fn, url, lineNumber } = nodes.get(id).callFrame;
    let group;
    if (fn === "(idle)") group = "idle (waiting for the server)";
    else if (fn === "(garbage collector)") group = "garbage collector";
    else if (url.endsWith("/apikeys.js")) group = "wasm-bindgen JS glue (apikeys.js)";
    // V8 charges JSON.parse to its caller: runtime.js's memberOf, which parses the body for `raw`
    else if ((fn === "memberOf" && url.endsWith("/runtime.js")) || (fn === "parse" && url === "")) group = "JSON.parse of the body (for raw)";
    else if (url.endsWith("/runtime.js")) group = "runtime.js (buildKeys: rows to objects; the iterator)";
    else if (url.includes("undici") || calledByUndici(id)) group = "Node fetch (undici, its wasm HTTP parser included)";
    else if (fn.startsWith("wasm-") || url.startsWith("wasm://")) group = "wasm code (ours)";
    // the socket's write syscall, called by undici with the request's headers as a string
    else if (/^write(Latin1|Utf8)String$/.test(fn)) group = "socket writes (sending the requests)";
    else if (/encoding|decodeUTF8/.test(url + fn)) group = "TextEncoder/TextDecoder (string copies)";
    else group = "other";
    groups[group] = (groups[group] ?? 0) + us / 1000;
    if (group.startsWith("wasm-bindgen")) {
      const name = fn.replace(/_[0-9a-f]{16}$/, "") || `(anonymous, apikeys.js:${lineNumber + 1})`;
      glue[name] = (glue[name] ?? 0) + us / 1000;
    }
    if (group === "other") {
      const name = `${fn || "(anonymous)"}${url ? ` (${url.replace(/^node:internal\//, "").replace(/^file:.*\//, "")})` : ""}`;
      other[name] = (other[name] ?? 0) + us / 1000;
    }
  }
  /** The `n` functions of most self time in a tally. */
  const top = (tally, n) => Object.entries(tally).sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, ms]) => ({ fn, ms }));
  const total = Object.values(groups).reduce((a, b) => a + b, 0);
  const busy = total - (groups["idle (waiting for the server)"] ?? 0);
  const rows = Object.entries(groups).sort((a, b) => b[1] - a[1]).map(([group, ms]) => ({ group, ms, shareOfBusy: group.startsWith("idle") ? null : ms / busy }));
  const topGlue = top(glue, 8);
  const topOther = top(other, 8);
  for (const r of rows) log("profile", r.group, r.ms.toFixed(0), "ms");
  writeResult("profile", { runs, keysListed: listed, rows, topGlue, topOther });
} finally {
  rmSync(dir, { recursive: true, force: true });
  await sb.stop();
}

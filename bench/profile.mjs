// Where our listAll spends its CPU: a V8 CPU profile (node --cpu-prof) of three listAll runs
// over 10 000 OpenRouter keys, self time grouped into wasm code, the wasm-bindgen JS glue
// (apikeys.js), Node's fetch (undici) and the rest, plus the top glue functions.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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
  await run(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, path.join(benchDir, "profile-child.mjs"), o.baseUrl, o.apiKey], { cwd: benchDir });
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
  const groups = {};
  const glue = {};
  for (const [id, us] of self) {
    const { functionName: fn, url, lineNumber } = nodes.get(id).callFrame;
    let group;
    if (fn === "(idle)") group = "idle (waiting for the server)";
    else if (fn === "(garbage collector)") group = "garbage collector";
    else if (url.endsWith("/apikeys.js")) group = "wasm-bindgen JS glue (apikeys.js)";
    else if (url.endsWith("/runtime.js")) group = "runtime.js (buildKeys: rows to objects, JSON.parse of the body for raw; the iterator)";
    else if (fn === "parse" && url === "") group = "JSON.parse (V8 builtin)";
    else if (fn.startsWith("wasm-") || url.startsWith("wasm://")) group = "wasm code";
    else if (url.includes("undici")) group = "Node fetch (undici)";
    else if (/encoding|decodeUTF8|writeLatin1String|writeUtf8String/.test(url + fn)) group = "TextEncoder/TextDecoder (string copies)";
    else group = "other";
    groups[group] = (groups[group] ?? 0) + us / 1000;
    if (group.startsWith("wasm-bindgen")) {
      const name = fn.replace(/_[0-9a-f]{16}$/, "") || `(anonymous, apikeys.js:${lineNumber + 1})`;
      glue[name] = (glue[name] ?? 0) + us / 1000;
    }
  }
  const total = Object.values(groups).reduce((a, b) => a + b, 0);
  const busy = total - (groups["idle (waiting for the server)"] ?? 0);
  const rows = Object.entries(groups).sort((a, b) => b[1] - a[1]).map(([group, ms]) => ({ group, ms, shareOfBusy: group.startsWith("idle") ? null : ms / busy }));
  const topGlue = Object.entries(glue).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([fn, ms]) => ({ fn, ms }));
  for (const r of rows) log("profile", r.group, r.ms.toFixed(0), "ms");
  writeResult("profile", { runs: 3, keysListed: listed, rows, topGlue });
} finally {
  rmSync(dir, { recursive: true, force: true });
  await sb.stop();
}

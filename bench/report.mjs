// Writes docs/benchmarks.md (tables) and docs/benchmarks.svg (a hand-written bar chart) from
// bench/results/*.json. No plotting dependency.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchDir, packageVersion, pkgDir, readResult, root } from "./lib.mjs";

const size = readResult("size");
const startup = readResult("startup");
const throughput = readResult("throughput");
const memory = readResult("memory");
const profile = readResult("profile");
/** How long bench/run.sh took before the report (it writes this; absent when run otherwise). */
const duration = (() => {
  try {
    return readResult("duration");
  } catch {
    return null;
  }
})();

const tryRun = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "n/a";
  }
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
/** A ratio; "–" when the results hold none (written by an older bench without that contender). */
const x = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "–");
/** A median ratio with the interquartile range of the per-round ratios, when there is one. */
const xq = (r, iqr) => (iqr && iqr[0] !== iqr[1] ? `${x(r)} (${iqr[0].toFixed(2)}–${iqr[1].toFixed(2)})` : x(r));
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const perPage = (bytes) => `${kb(bytes)}/page`;

// ------------------------------------------------------------------ facts
const cpu = os.cpus()[0]?.model ?? "unknown";
const facts = {
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  nproc: tryRun("nproc", []),
  cpu,
  memory: mib(os.totalmem()),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  workerd: tryRun(path.join(root, "node_modules/.bin/workerd"), ["--version"]),
  rustc: tryRun("rustc", ["--version"]),
  ours: packageVersion(pkgDir),
  openrouter: packageVersion(path.join(benchDir, "node_modules/@openrouter/sdk")),
  anthropic: packageVersion(path.join(benchDir, "node_modules/@anthropic-ai/sdk")),
  esbuild: packageVersion(path.join(benchDir, "node_modules/esbuild")),
};

// ------------------------------------------------------------------ derived numbers
const oursGz = size.ours.bundled.gzip;
const theirsBy = Object.fromEntries(size.theirs.map((t) => [t.entry.replace(/\.js$/, ""), t]));
const oneProvider = size.ours.oneProvider ?? [];
const oneBy = Object.fromEntries(oneProvider.map((o) => [o.provider, o]));
const oneMin = Math.min(...oneProvider.map((o) => o.bundled.gzip));
const oneMax = Math.max(...oneProvider.map((o) => o.bundled.gzip));
const nodeBy = Object.fromEntries(startup.node.map((r) => [r.variant, r]));
const wdBy = Object.fromEntries(startup.workerd.map((r) => [r.variant, r]));
const tpKey = (r) => (r.link ? `${r.provider}-link` : r.provider);
const tpBy = Object.fromEntries(throughput.results.map((r) => [tpKey(r), Object.fromEntries(r.contenders.map((c) => [c.name, c]))]));
const tpMeta = Object.fromEntries(throughput.results.map((r) => [tpKey(r), r]));
const linkT = tpBy["openrouter-link"];
const memBy = Object.fromEntries(memory.runs.map((r) => [r.variant, r]));
const orT = tpBy.openrouter;
const wasmGrowth = memBy.ours.wasmMemory.last - memBy.ours.wasmMemory.first;
const longBy = Object.fromEntries(memory.long.runs.map((r) => [r.variant, r]));
/** Our wasm memory's steps in the long run after its first tenth of pages (the warm-up). */
const lateWasmSteps = longBy.ours.wasmSteps.filter((step) => step.page > longBy.ours.pages / 10);
/** How our wasm memory grew in the long run: when, in how many steps. */
function wasmStepsText() {
  const { wasmMemory, wasmSteps } = longBy.ours;
  if (wasmSteps.length === 0) return `Our wasm linear memory stayed at ${kb(wasmMemory.first)}.`;
  const grew = `Our wasm linear memory grew from ${kb(wasmMemory.first)} to ${kb(wasmMemory.last)} in ${wasmSteps.length} step${wasmSteps.length > 1 ? "s" : ""} (at pages ${wasmSteps.map((s) => s.page).join(", ")})`;
  return lateWasmSteps.length === 0 ? `${grew}, all in the warm-up, and stayed flat after it.` : `**${grew}: it still grows after the warm-up.**`;
}

/** Per-page RSS growth of the long run's last two thirds. */
const rssSlope = (r) => r.lastTwoThirds.rssSlopeBytesPerPage;
/** Whether our RSS, after the warm-up, grows about as the floor's does (which keeps nothing). */
const rssSettles = rssSlope(longBy.ours) <= Math.max(rssSlope(longBy.floor), 0) * 1.5 + 512;
/** Issue 8's memory goal: no wasm growth after the warm-up, RSS and heap growing as the floor's. */
const memoryFlat = rssSettles && lateWasmSteps.length === 0 &&
  memBy.ours.heapSlopeBytesPerPage <= Math.max(memBy.floor.heapSlopeBytesPerPage, 0) * 1.5 + 256;
/** The long run's RSS growth, ours against the floor's, in words. */
function longVerdict() {
  const [ours, floor] = [rssSlope(longBy.ours), rssSlope(longBy.floor)];
  const growth = (r) => mib(r.rssAtThirds[2] - r.rssAtThirds[0]);
  return rssSettles
    ? `After the warm-up our RSS grows ${perPage(ours)} (${growth(longBy.ours)} from the first third to the end), the floor's ${perPage(floor)} (${growth(longBy.floor)}): what is left is Node's own, not the keys.`
    : `**After the warm-up our RSS still grows ${perPage(ours)} (${growth(longBy.ours)} from the first third to the end), against ${perPage(floor)} for the floor.**`;
}
const anT = tpBy.anthropic;
/** What ours adds to a get, and the floor's own time, in µs (medians; noise-prone, for scale). */
const perGet = (provider) => {
  const us = (c) => (c.getsMs * 1000) / tpMeta[provider].gets;
  const floor = us(tpBy[provider].floor);
  return `+${(us(tpBy[provider].ours) - floor).toFixed(0)} µs on the floor's ${floor.toFixed(0)} µs`;
};

// ------------------------------------------------------------------ SVG
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const COLORS = { ours: "#d9480f", theirs: "#1c7ed6", floor: "#868e96" };

/** One horizontal bar panel; returns { svg, height }. */
function panel(y0, title, subtitle, rows, { max, refs = [], unit = "" }) {
  const W = 860;
  const left = 300;
  const barW = W - left - 90;
  const rowH = 22;
  const top = y0 + 44;
  const scale = (v) => (Math.min(v, max) / max) * barW;
  let s = `<text x="16" y="${y0 + 20}" font-size="15" font-weight="bold">${esc(title)}</text>\n`;
  s += `<text x="16" y="${y0 + 36}" font-size="11" fill="#495057">${esc(subtitle)}</text>\n`;
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, scale(r.value));
    s += `<text x="${left - 8}" y="${y + 14}" font-size="12" text-anchor="end">${esc(r.label)}</text>\n`;
    s += `<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 7}" fill="${COLORS[r.kind]}"/>\n`;
    const clipped = r.value > max ? " ▸" : "";
    s += `<text x="${(left + w + 5).toFixed(1)}" y="${y + 14}" font-size="11">${esc(r.text ?? `${r.value}${unit}`)}${clipped}</text>\n`;
  });
  const bottom = top + rows.length * rowH;
  // reference lines, labelled under the bars (the first to the left of its line, the others to the right)
  refs.forEach((ref, i) => {
    const rx = left + scale(ref.value);
    s += `<line x1="${rx.toFixed(1)}" y1="${top}" x2="${rx.toFixed(1)}" y2="${bottom + 2}" stroke="#212529" stroke-dasharray="4 3"/>\n`;
    const anchor = i === 0 && refs.length > 1 ? "end" : "start";
    const tx = anchor === "end" ? rx - 3 : rx + 3;
    s += `<text x="${tx.toFixed(1)}" y="${bottom + 13}" font-size="10" text-anchor="${anchor}" fill="#212529">${esc(ref.label)}</text>\n`;
  });
  return { svg: s, height: bottom - y0 + (refs.length ? 26 : 12) };
}

const sizeRows = [
  { label: "apikeys-wasm (5 providers, JS + wasm)", value: oursGz / 1024, kind: "ours" },
  ...["openrouter", "anthropic"].filter((p) => oneBy[p]).map((p) => ({ label: `apikeys-wasm/${p} (1 provider)`, value: oneBy[p].bundled.gzip / 1024, kind: "ours" })),
  { label: "@openrouter/sdk funcs (tree-shaken)", value: theirsBy["openrouter-funcs"].gzip / 1024, kind: "theirs" },
  { label: "@anthropic-ai/sdk APIKeys (tree-shaken)", value: theirsBy["anthropic-resource"].gzip / 1024, kind: "theirs" },
  { label: "both SDKs, smallest forms (2 providers)", value: theirsBy["both-min"].gzip / 1024, kind: "theirs" },
  { label: "new OpenRouter() client", value: theirsBy["openrouter-sdk"].gzip / 1024, kind: "theirs" },
  { label: "new Anthropic() client", value: theirsBy["anthropic-sdk"].gzip / 1024, kind: "theirs" },
].map((r) => ({ ...r, text: `${r.value.toFixed(1)} KiB` }));
const sizeMax = Math.max(...sizeRows.map((r) => r.value)) * 1.05;

const startRows = [
  ["ours", "apikeys-wasm", "ours"],
  ["openrouter-funcs", "@openrouter/sdk funcs", "theirs"],
  ["openrouter-sdk", "new OpenRouter()", "theirs"],
  ["anthropic-resource", "@anthropic-ai/sdk APIKeys", "theirs"],
  ["anthropic-sdk", "new Anthropic()", "theirs"],
].map(([v, label, kind]) => ({ label, kind, value: nodeBy[v].firstFetchMs.median, text: `${ms(nodeBy[v].firstFetchMs.median)} ms` }));
const startMax = Math.max(...startRows.map((r) => r.value)) * 1.05;

const tpRows = [
  { label: "OpenRouter listAll: apikeys-wasm (prefetch)", value: orT.ours.listAllRatio, kind: "ours" },
  { label: "OpenRouter listAll: apikeys-wasm, prefetch: false", value: orT["ours, prefetch: false"].listAllRatio, kind: "ours" },
  { label: "OpenRouter listAll: @openrouter/sdk", value: orT.sdk.listAllRatio, kind: "theirs" },
  { label: "OpenRouter 1000 gets: apikeys-wasm", value: orT.ours.getsRatio, kind: "ours" },
  { label: "OpenRouter 1000 gets: @openrouter/sdk", value: orT.sdk.getsRatio, kind: "theirs" },
  { label: "Anthropic listAll: apikeys-wasm (prefetch)", value: anT.ours.listAllRatio, kind: "ours" },
  { label: "Anthropic listAll: apikeys-wasm, prefetch: false", value: anT["ours, prefetch: false"].listAllRatio, kind: "ours" },
  { label: "Anthropic listAll: @anthropic-ai/sdk", value: anT.sdk.listAllRatio, kind: "theirs" },
  { label: "Anthropic 1000 gets: apikeys-wasm", value: anT.ours.getsRatio, kind: "ours" },
  { label: "Anthropic 1000 gets: @anthropic-ai/sdk", value: anT.sdk.getsRatio, kind: "theirs" },
].map((r) => ({ ...r, text: x(r.value) }));
const tpMax = Math.max(2, ...tpRows.map((r) => r.value)) * 1.05;

let y = 10;
const parts = [];
for (const [title, subtitle, rows, opts] of [
  ["Bundle size, gzip -9 (smaller is better)", "what a browser app ships for the same key operations; esbuild --bundle --minify, tree-shaken", sizeRows, { max: sizeMax, refs: [{ value: 40, label: "goal 40 KiB" }] }],
  ["Node start-up: import() → first request (median, smaller is better)", `fresh node process per sample, ${facts.node}; includes wasm compile + instantiate`, startRows, { max: startMax }],
  ["Throughput vs a hand-written fetch + JSON.parse loop (median ratio, 1.00 = floor)", `local sandbox, ${tpMeta.openrouter.keys} keys in pages of 100, 1000 sequential gets`, tpRows, { max: tpMax, refs: [{ value: 1, label: "floor" }, { value: 1.1, label: "goal 1.10" }] }],
]) {
  const p = panel(y, title, subtitle, rows, opts);
  parts.push(p.svg);
  y += p.height + 10;
}
const legendY = y + 4;
parts.push(`<rect x="16" y="${legendY}" width="12" height="12" fill="${COLORS.ours}"/><text x="34" y="${legendY + 10}" font-size="11">apikeys-wasm</text>
<rect x="140" y="${legendY}" width="12" height="12" fill="${COLORS.theirs}"/><text x="158" y="${legendY + 10}" font-size="11">official SDKs</text>
<text x="300" y="${legendY + 10}" font-size="11" fill="#495057">${esc(`${facts.date}, ${facts.nproc} CPUs, generated by make bench`)}</text>\n`);
const H = legendY + 24;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="${H}" viewBox="0 0 860 ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<title>apikeys-wasm benchmarks: size, start-up, throughput</title>
<rect width="860" height="${H}" fill="#ffffff"/>
${parts.join("")}</svg>
`;
writeFileSync(path.join(root, "docs/benchmarks.svg"), svg);

// ------------------------------------------------------------------ markdown
const md = [];
const verdict = (ok) => (ok ? "**met**" : "**not met**");
const sizeGoal = oursGz <= size.goalGzip;
const tpGoal = [orT.ours.listAllRatio, orT.ours.getsRatio, anT.ours.listAllRatio, anT.ours.getsRatio].every((r) => r <= 1.1);
// Paired round by round: ours ÷ the SDK below 1 in the median (older results: the two medians).
const versusSdk = (provider, metric) => {
  const t = tpBy[provider];
  return tpMeta[provider].oursVersusSdk?.[metric] ?? { median: t.ours[`${metric}Ratio`] / t.sdk[`${metric}Ratio`], iqr: null };
};
const sdkPairs = [["OpenRouter listAll", versusSdk("openrouter", "listAll")], ["OpenRouter gets", versusSdk("openrouter", "gets")], ["Anthropic listAll", versusSdk("anthropic", "listAll")], ["Anthropic gets", versusSdk("anthropic", "gets")]];
const fasterThanSdks = sdkPairs.every(([, pair]) => pair.median < 1);

md.push(`# Benchmarks

Generated by \`make bench\` (bench/run.sh) on ${facts.date}. Timings on this machine are noisy (other
jobs share it), so every timing here is a **median of many runs** and every comparison is a **ratio
measured side by side in the same run**; absolute milliseconds are only indicative.

![size, start-up and throughput of apikeys-wasm and the official SDKs](benchmarks.svg)

## Summary

| question | result | goal |
|---|---|---|
| shipped size, gzip -9 (JS glue + wasm, all five providers) | ${kb(oursGz)}; ${x(oursGz / theirsBy["openrouter-funcs"].gzip)} the tree-shaken @openrouter/sdk, ${x(oursGz / theirsBy["anthropic-resource"].gzip)} the tree-shaken @anthropic-ai/sdk, ${x(oursGz / theirsBy["both-min"].gzip)} both together | ≤ 40 KiB: ${verdict(sizeGoal)} |
| shipped size of one provider's entry (\`apikeys-wasm/<provider>\`) | ${oneBy.openrouter ? `${kb(oneMin)}–${kb(oneMax)}; OpenRouter ${kb(oneBy.openrouter.bundled.gzip)} (${x(oneBy.openrouter.bundled.gzip / theirsBy["openrouter-funcs"].gzip)} its SDK), Anthropic ${kb(oneBy.anthropic.bundled.gzip)} (${x(oneBy.anthropic.bundled.gzip / theirsBy["anthropic-resource"].gzip)} its SDK)` : "not measured"} | – |
| Node start-up, import() → first request (median) | ${ms(nodeBy.ours.firstFetchMs.median)} ms; @openrouter/sdk funcs ${ms(nodeBy["openrouter-funcs"].firstFetchMs.median)} ms (${x(nodeBy["openrouter-funcs"].firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} ours), @anthropic-ai/sdk ${ms(nodeBy["anthropic-resource"].firstFetchMs.median)} ms (${x(nodeBy["anthropic-resource"].firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} ours) | – |
| workerd start-up, spawn → first answer (median) | ${wdBy.ours?.firstResponseMs ? `${ms(wdBy.ours.firstResponseMs.median)} ms vs ${ms(wdBy.baseline.firstResponseMs.median)} ms for an empty worker (+${ms(wdBy.ours.firstResponseMs.median - wdBy.baseline.firstResponseMs.median)} ms)` : "failed (see below)"} | – |
| listAll throughput vs fetch + JSON.parse floor (median of per-round ratios; interquartile range) | OpenRouter ${xq(orT.ours.listAllRatio, orT.ours.listAllRatioIqr)}, Anthropic ${xq(anT.ours.listAllRatio, anT.ours.listAllRatioIqr)}, with \`prefetch\` (the default: the next page is asked for while this one is read; the floor asks one page at a time); with \`prefetch: false\` OpenRouter ${x(orT["ours, prefetch: false"]?.listAllRatio)}, Anthropic ${x(anT["ours, prefetch: false"]?.listAllRatio)} | ≤ 1.10×: ${verdict(orT.ours.listAllRatio <= 1.1 && anT.ours.listAllRatio <= 1.1)} |
| listAll when ${tpMeta["openrouter-link"].link} (OpenRouter) | ours ${x(linkT.ours.listAllRatio)} the floor (with \`prefetch: false\` ${x(linkT["ours, prefetch: false"]?.listAllRatio)}), @openrouter/sdk ${x(linkT.sdk.listAllRatio)} | – |
| 1000 sequential gets vs floor (and per get: what ours adds, medians) | OpenRouter ${xq(orT.ours.getsRatio, orT.ours.getsRatioIqr)} (${perGet("openrouter")}), Anthropic ${xq(anT.ours.getsRatio, anT.ours.getsRatioIqr)} (${perGet("anthropic")}); ours adds a roughly fixed time, so the ratio is higher when the machine is quiet and the floor fastest | ≤ 1.10×: ${verdict(orT.ours.getsRatio <= 1.1 && anT.ours.getsRatio <= 1.1)} |
| faster than each official SDK (same operations, same run; ours ÷ the SDK round by round, median and interquartile range) | ${sdkPairs.map(([what, pair]) => `${what} ${xq(pair.median, pair.iqr)}`).join(", ")} (listAll with \`prefetch\`, which the SDKs do not do; with \`prefetch: false\`, against the floor: OpenRouter ${x(orT["ours, prefetch: false"].listAllRatio)} vs the SDK's ${x(orT.sdk.listAllRatio)}, Anthropic ${x(anT["ours, prefetch: false"].listAllRatio)} vs ${x(anT.sdk.listAllRatio)}) | ${verdict(fasterThanSdks)} |
| memory of listAll over ${memBy.ours.keys} keys | heap after gc() grows ${memBy.ours.heapSlopeBytesPerPage.toFixed(0)} B/page (the floor: ${memBy.floor.heapSlopeBytesPerPage.toFixed(0)} B/page), wasm memory ${kb(memBy.ours.wasmMemory.first)} → ${kb(memBy.ours.wasmMemory.last)}; peak RSS ${mib(memBy.ours.peakRss)} (floor ${mib(memBy.floor.peakRss)}), RSS over the second half grows ${perPage(memBy.ours.rssSlopeBytesPerPage)} (floor ${perPage(memBy.floor.rssSlopeBytesPerPage)}: Node's allocators still settling, hence the long run); over ${longBy.ours.keys} keys, RSS after the warm-up grows ${perPage(rssSlope(longBy.ours))} (floor ${perPage(rssSlope(longBy.floor))}) | flat: ${verdict(memoryFlat)} |

Throughput goal overall (≤ 1.10× the floor everywhere): ${verdict(tpGoal)}.${duration ? `\n\n${duration.buildIncluded ? "\`make bench\` took" : "The benchmarks took"} ${Math.floor(duration.seconds / 60)} min ${duration.seconds % 60} s ${duration.buildIncluded ? "(building \`pkg/\` and the sandbox included)" : "(\`bench/run.sh\` alone, without building)"}: under 10 minutes: ${verdict(duration.seconds < 600)}.` : ""}

## Machine and versions

| | |
|---|---|
| date | ${facts.date} |
| CPUs (\`nproc\`) | ${facts.nproc} × ${esc(facts.cpu)} |
| memory | ${facts.memory} |
| OS | ${facts.os} |
| Node | ${facts.node} |
| workerd | ${facts.workerd} |
| rustc | ${facts.rustc} |
| apikeys-wasm | ${facts.ours} (this checkout, \`make pkg\`) |
| @openrouter/sdk | ${facts.openrouter} |
| @anthropic-ai/sdk | ${facts.anthropic} |
| esbuild | ${facts.esbuild} |

## Reproduce

\`\`\`sh
make bench        # builds pkg/ and the sandbox, installs bench/ deps (npm ci, once), runs everything
\`\`\`

Everything is public: the comparison packages are pinned in \`bench/package.json\` +
\`bench/package-lock.json\`, the server is this repository's sandbox on loopback, no network
access beyond \`npm ci\`. Raw results land in \`bench/results/*.json\`; this page and
\`docs/benchmarks.svg\` are generated from them by \`bench/report.mjs\`. \`BENCH_QUICK=1 make bench\` runs
every loop shortened (a smoke test; its numbers mean nothing).

## 1. Size

What a browser user ships. **Ours**: \`apikeys_bg.wasm\` plus the JavaScript an import of the
browser entry pulls in (${size.ours.files.filter((f) => !f.file.endsWith(".wasm")).map((f) => `\`${f.file}\``).join(", ")}). **Theirs**: esbuild
${facts.esbuild} bundles (\`--bundle --minify --format=esm --platform=browser\`, tree-shaken) of the
small entry files in \`bench/entries/\`, each doing the same key operations (OpenRouter: list,
get, create, update, delete, current key; Anthropic: list, retrieve, update). gzip at level 9
(Node zlib), brotli at quality 11. The ratio column is ours (bundled, ${kb(oursGz)}) ÷ theirs.

| what | raw | gzip -9 | brotli | ours ÷ theirs (gzip) |
|---|---:|---:|---:|---:|
| **apikeys-wasm, as published** (unminified JS + wasm) | ${kb(size.ours.asShipped.raw)} | ${kb(size.ours.asShipped.gzip)} | ${kb(size.ours.asShipped.brotli)} | |
| **apikeys-wasm, bundled** (JS minified by esbuild + wasm) | ${kb(size.ours.bundled.raw)} | **${kb(size.ours.bundled.gzip)}** | ${kb(size.ours.bundled.brotli)} | |
| … of which \`apikeys_bg.wasm\` | ${kb(size.ours.wasm.raw)} | ${kb(size.ours.wasm.gzip)} | ${kb(size.ours.wasm.brotli)} | |
| … of which the JS (minified) | ${kb(size.ours.jsMinified.raw)} | ${kb(size.ours.jsMinified.gzip)} | ${kb(size.ours.jsMinified.brotli)} | |
${size.theirs.map((t) => `| ${t.label} (\`bench/entries/${t.entry}\`, ${t.modules} modules) | ${kb(t.raw)} | ${kb(t.gzip)} | ${kb(t.brotli)} | ${x(t.ratioGzip)} |`).join("\n")}

${oneProvider.length ? `**One provider**: each \`apikeys-wasm/<provider>\` entry is a wasm built with only that
provider's dialect (the same JS), for users who speak to one provider. Bundled the same way:

| entry | raw | gzip -9 | brotli | its gzip ÷ all five's | ÷ that provider's official SDK (gzip) |
|---|---:|---:|---:|---:|---:|
${oneProvider.map((o) => `| \`apikeys-wasm/${o.provider}\` (wasm ${kb(o.wasm.gzip)} gzipped) | ${kb(o.bundled.raw)} | ${kb(o.bundled.gzip)} | ${kb(o.bundled.brotli)} | ${x(o.bundled.gzip / oursGz)} | ${o.provider === "openrouter" ? x(o.bundled.gzip / theirsBy["openrouter-funcs"].gzip) : o.provider === "anthropic" ? x(o.bundled.gzip / theirsBy["anthropic-resource"].gzip) : "–"} |`).join("\n")}

` : ""}Goal (issue): ≤ 40 KB gzipped for all five providers (taken as 40 KiB = 40 960 B) — ${verdict(sizeGoal)}: ${kb(oursGz)} is ${x(oursGz / size.goalGzip)} the goal, and the
wasm alone is ${(100 * size.ours.wasm.gzip / oursGz).toFixed(0)} % of it. Per file, as published:

| file | raw | gzip -9 |
|---|---:|---:|
${size.ours.files.map((f) => `| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.gzip)} |`).join("\n")}

## 2. Start-up

**Node**: a fresh \`node\` process per sample (\`bench/startup/node-child.mjs\`), interleaved in random
order; inside it, \`performance.now()\` from just before \`import()\` of the library to the first
call of the client's \`fetch\` (which answers a canned empty page, so no network is involved). For
ours this includes reading, compiling and instantiating the wasm (\`node.js\` entry). Columns are
medians (p25–p75) in ms; "since process start" is \`performance.now()\` at the first fetch.

| variant | samples | import → first fetch | import alone | since process start | ÷ ours |
|---|---:|---:|---:|---:|---:|
${startup.node.map((r) => `| ${r.label} | ${r.firstFetchMs.n} | ${ms(r.firstFetchMs.median)} (${ms(r.firstFetchMs.p25)}–${ms(r.firstFetchMs.p75)}) | ${ms(r.importMs.median)} | ${ms(r.sinceProcessStartMs.median)} | ${r.variant === "baseline" ? "–" : x(r.firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} |`).join("\n")}

**workerd** (${facts.workerd}): time cannot be measured inside the isolate (workerd freezes
\`performance.now()\`/\`Date.now()\` while code runs, a Spectre mitigation), so this is the **wall
time of fresh \`workerd serve\` processes**, measured from \`spawn\` to (a) the socket being reported
on \`--control-fd\` (workerd compiles and evaluates the worker's modules before that) and (b) the
answer to the first HTTP request, whose handler constructs the client and calls \`list()\` with a
canned fetch. One warm-up round, then medians; "empty worker" is the same worker without any
library, so the difference to it is the library's cost. Every worker is an esbuild bundle, as
wrangler would make it (ours: the bundled JS plus its \`.wasm\` as a module of its own).

| worker | samples | spawn → listening | spawn → first answer | − empty worker | 2nd request |
|---|---:|---:|---:|---:|---:|
${startup.workerd.map((r) => r.error ? `| ${r.label} | failed: ${esc(r.error.split("\n")[0])} | | | | |` : `| ${r.label} | ${r.firstResponseMs.n} | ${ms(r.listenMs.median)} | ${ms(r.firstResponseMs.median)} (${ms(r.firstResponseMs.p25)}–${ms(r.firstResponseMs.p75)}) | ${r.variant === "baseline" ? "–" : `+${ms(r.firstResponseMs.median - wdBy.baseline.firstResponseMs.median)}`} | ${ms(r.secondRequestMs.median)} |`).join("\n")}

## 3. Throughput

One sandbox (\`target/release/sandbox\`, page size ${throughput.pageSize}) seeded so that ${tpMeta.openrouter.keys} OpenRouter and
${tpMeta.anthropic.keys} Anthropic keys are listed (the sandbox's own sample keys included), on loopback; the client in
this Node process, the server in its own. Per provider: **listAll** (every page: OpenRouter
\`offset\` pages of 100, Anthropic \`limit=100\` + \`after_id\`) and **${tpMeta.openrouter.gets} sequential gets** of
existing keys. Contenders:

- **floor**: a hand-written loop of \`fetch\` + \`JSON.parse(await response.text())\` sending the same requests;
- **ours**: \`new ApiKeys(...)\`, \`for await (const k of keys.listAll())\` and \`keys.get(id)\`; listAll asks
  for the next page while the loop works through the current one (its default, \`prefetch\`);
- **ours, prefetch: false**: the same with \`listAll({ prefetch: false })\`, one request at a time like the floor;
- **@openrouter/sdk**: \`OpenRouterCore\` + \`apiKeysList\` (offset loop) and \`apiKeysGet\`;
- **@anthropic-ai/sdk**: \`client.organization.apiKeys.list({ limit: 100 })\` (auto-paging) and \`.retrieve(id)\`.

The floor stops OpenRouter paging at the first short page; our package stops at the first empty
one (it cannot know the server's page size). ${tpMeta.openrouter.keys % 100 === 0 ? `With ${tpMeta.openrouter.keys} keys every page is full, so every contender sends the same ${tpMeta.openrouter.keys / 100 + 1} requests (the last one finds the end).` : `So ours sends one more request per listAll (${Math.ceil(tpMeta.openrouter.keys / 100) + 1} instead of ${Math.ceil(tpMeta.openrouter.keys / 100)}, about 1 %).`}

${throughput.results[0].rounds} timed rounds after one warm-up round. In each round every contender walks
\`listAll\` once (random order, \`gc()\` before each walk), then the round's ${throughput.results[0].gets} gets
are made in blocks of ${throughput.results[0].getBlock ?? throughput.results[0].gets}, the contenders taking turns block by block (who goes first
rotates; a minor \`gc()\`, untimed, before each block), so that every contender meets the same
moments of the machine's load. Each time is divided by the floor's time **in the same round**; the
ratio columns are the medians of those per-round ratios, with their interquartile range in
brackets (the spread of single rounds; whole runs spread less, but differ by more than a round's
median can show: see the README's ranges; CPU: client process CPU time from
\`process.cpuUsage()\`, same pairing). Times are medians in ms. \`ours, prefetch: false\` makes the
same gets as \`ours\` (the option changes only \`listAll\`): the difference of their gets ratios is
the noise of the run.

@openrouter/sdk ${facts.openrouter} validates every key against its schema (it needs \`external_user\`
and, on \`GET /key\`, newer fields); the sandbox sends them, so every contender talks to the same server
with the global \`fetch\`.

${throughput.results.map((r) => `**${r.provider === "openrouter" ? "OpenRouter" : "Anthropic"}${r.link ? `, ${r.link}` : ""}** (${r.keys} keys listed, ${r.gets} gets, ${r.rounds} timed rounds):

| contender | listAll ms | ÷ baseline | CPU ÷ | ${r.gets} gets ms | ÷ baseline | CPU ÷ | baseline |
|---|---:|---:|---:|---:|---:|---:|---|
${r.contenders.map((c) => `| ${c.name === "sdk" ? (r.provider === "openrouter" ? "@openrouter/sdk" : "@anthropic-ai/sdk") : c.name} | ${ms(c.listAllMs)} | ${xq(c.listAllRatio, c.listAllRatioIqr)} | ${x(c.listAllCpuRatio)} | ${ms(c.getsMs)} | ${xq(c.getsRatio, c.getsRatioIqr)} | ${x(c.getsCpuRatio)} | ${c.baseline ?? "–"} |`).join("\n")}
`).join("\n")}
Goals: ours ≤ 1.10× the floor — listAll ${verdict(orT.ours.listAllRatio <= 1.1 && anT.ours.listAllRatio <= 1.1)}, gets ${verdict(orT.ours.getsRatio <= 1.1 && anT.ours.getsRatio <= 1.1)}; faster than each official SDK — ${verdict(fasterThanSdks)}.

### Where our listAll spends its time

A V8 CPU profile (\`node --cpu-prof\`, \`bench/profile.mjs\`) of ${profile.runs} listAll runs over the sandbox's
${profile.keysListed ?? profile.keysInStore} listed OpenRouter keys, self time by group:

| group | ms | share of busy time |
|---|---:|---:|
${profile.rows.map((r) => `| ${r.group} | ${r.ms.toFixed(0)} | ${r.shareOfBusy === null ? "–" : `${(100 * r.shareOfBusy).toFixed(0)} %`} |`).join("\n")}

Top wasm-bindgen glue functions (self ms): ${profile.topGlue.map((g) => `\`${g.fn}\` ${g.ms.toFixed(0)}`).join(", ")}.
"wasm code" is the core reading each body into a tape (\`json/tape/src/parse.rs\`, \`json/tape/src/doc.rs\`),
mapping it to the canonical model and writing the keys as columns (their strings in one text, the
rest as numbers). Bodies enter the wasm as bytes (one copy); in the glue, \`getStringFromWasm0\`
brings the columns' text back and a \`Float64Array\` view reads the numbers. \`raw\` is not copied
through the wasm: \`buildKeys\` (runtime.js) rebuilds the key objects from the columns and takes
\`raw\` from JS's own parse of the body, the same parse the floor does. The floor's whole client cost is Node's fetch plus one \`JSON.parse\`.

## 4. Memory

\`listAll\` over ${memory.seeded} seeded OpenRouter keys (pages of 100: ${memBy.ours.pages} for ours, which also reads the empty page that ends the walk, ${memBy.floor.pages} for the floor, which stops at a short page), each variant in a fresh
\`node --expose-gc\` process (\`bench/memory-child.mjs\`), keys counted and dropped.
\`process.memoryUsage().rss\` is sampled after every page (in \`onPage\` for ours); every 20 pages
\`gc()\` runs first and \`heapUsed\` (and, for ours, the wasm linear memory) is recorded. Slopes are
least-squares fits over the second half of the pages (steady state) and, in brackets, over the
pages after the first 10 %.

| variant | keys | s | RSS at start | RSS peak | RSS at 10 % / 50 % / end | heap slope (B/page) | RSS slope (B/page) | wasm memory at 2 % / 50 % / end |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${memory.runs.map((r) => `| ${r.variant} | ${r.keys} | ${r.seconds.toFixed(1)} | ${mib(r.startRss)} | ${mib(r.peakRss)} | ${mib(r.rssAt.tenth)} / ${mib(r.rssAt.half)} / ${mib(r.rssAt.end)} | ${r.heapSlopeBytesPerPage.toFixed(0)} (${r.early.heapSlopeBytesPerPage.toFixed(0)}) | ${r.rssSlopeBytesPerPage.toFixed(0)} (${r.early.rssSlopeBytesPerPage.toFixed(0)}) | ${r.wasmMemory ? `${kb(r.wasmMemory.first)} / ${kb(r.wasmMemory.half)} / ${kb(r.wasmMemory.last)}` : "–"} |`).join("\n")}

Over ${memBy.ours.pages} pages the live heap after \`gc()\` grows by ${(memBy.ours.heapSlopeBytesPerPage * memBy.ours.pages / 1024).toFixed(0)} KiB for ours and
${(memBy.floor.heapSlopeBytesPerPage * memBy.floor.pages / 1024).toFixed(0)} KiB for the floor, which keeps nothing: that growth is Node's own (it levels off: the long run's
slope below is a fraction of it), not the keys. ${wasmGrowth <= 65536 ? `The wasm linear memory grows by ${wasmGrowth === 0 ? "nothing" : "at most one 64 KiB page"} over the run.` : `**The wasm linear memory grows by ${kb(wasmGrowth)} over the run.**`}
Our peak RSS is ${mib(memBy.ours.peakRss - memBy.floor.peakRss)} above the floor's. RSS rises over the first few hundred pages
(V8 compiling the hot functions with its optimising tier, allocator arenas), for the floor too. RSS is
much noisier than the heap figures (it moves in steps).

**Long run**: the same walk over ${memory.long.seeded} seeded keys (${longBy.ours.pages} pages), to see where RSS settles
after the warm-up. Slopes over the last two thirds of the pages.

| variant | keys | s | RSS peak | RSS at ⅓ / ⅔ / end | heap slope (B/page) | RSS slope (B/page) | wasm memory at start / end |
|---|---:|---:|---:|---:|---:|---:|---:|
${memory.long.runs.map((r) => `| ${r.variant} | ${r.keys} | ${r.seconds.toFixed(1)} | ${mib(r.peakRss)} | ${r.rssAtThirds.map(mib).join(" / ")} | ${r.lastTwoThirds.heapSlopeBytesPerPage.toFixed(0)} | ${r.lastTwoThirds.rssSlopeBytesPerPage.toFixed(0)} | ${r.wasmMemory ? `${kb(r.wasmMemory.first)} / ${kb(r.wasmMemory.last)}` : "–"} |`).join("\n")}

${longVerdict()} ${wasmStepsText()}

## Files

| file | role |
|---|---|
| \`bench/run.sh\` | entry point of \`make bench\`: \`npm ci\` when the pinned deps are missing, then every step below |
| \`bench/package.json\`, \`bench/package-lock.json\` | the pinned comparison packages |
| \`bench/lib.mjs\` | statistics, the sandbox (reused from \`tests/js/support/sandbox.mjs\`) |
| \`bench/size.mjs\`, \`bench/entries/*.js\` | size |
| \`bench/startup.mjs\`, \`bench/startup/*\` | start-up (Node child, workerd workers) |
| \`bench/throughput.mjs\` | throughput |
| \`bench/memory.mjs\`, \`bench/memory-child.mjs\` | memory |
| \`bench/profile.mjs\`, \`bench/profile-child.mjs\` | CPU profile of listAll |
| \`bench/report.mjs\` | this page and \`docs/benchmarks.svg\` |
`);
writeFileSync(path.join(root, "docs/benchmarks.md"), md.join("\n"));
console.error("[bench] wrote docs/benchmarks.md and docs/benchmarks.svg");

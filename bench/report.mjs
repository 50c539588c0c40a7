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
/** A ratio; "–" when the results hold none. Beside a goal, 3 decimals (1.1014 is not "1.10×"). */
const x = (r, digits = 2) => (Number.isFinite(r) ? `${r.toFixed(digits)}×` : "–");
const x3 = (r) => x(r, 3);
/** A median ratio with the interquartile range of the per-round ratios, when there is one. */
const xq = (r, iqr, digits = 2) => (iqr && iqr[0] !== iqr[1] ? `${x(r, digits)} (${iqr[0].toFixed(digits)}–${iqr[1].toFixed(digits)})` : x(r, digits));
const xq3 = (r, iqr) => xq(r, iqr, 3);
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
/** A profile's top functions, with their self ms. */
const topText = (top) => top.map((g) => `\`${g.fn}\` ${g.ms.toFixed(0)}`).join(", ") || "none sampled";

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
// The true peaks (maxRSS, no forced gc()): at the fewer keys and at the more.
const [peakFew, peakMany] = memory.peaks.map((p) => ({ keys: p.keys, by: Object.fromEntries(p.rows.map((r) => [r.variant, r])) }));
/** How a variant's median peak grows from the fewer keys to the more: bytes, and per page walked in between. */
const peakGrowth = (variant) => {
  const [few, many] = [peakFew.by[variant], peakMany.by[variant]];
  const bytes = many.maxRss.median - few.maxRss.median;
  return { bytes, perPage: bytes / (many.pages - few.pages) };
};
/** The runs' noise: the widest range (max − min) of the peak runs' maxRSS. */
const peakSpread = Math.max(...memory.peaks.flatMap((p) => p.rows.map((r) => r.maxRss.max - r.maxRss.min)));
/** Flat: our peak grows from the fewer keys to the more by no more than the floor's (which keeps nothing) plus the runs' spread. */
const peakFlat = peakGrowth("ours").bytes <= Math.max(peakGrowth("floor").bytes, 0) + peakSpread;
/** No more wasm memory at the end of the longer walks than at the end of the shorter. */
const wasmFlat = peakMany.by.ours.wasmMemory.endMax <= peakFew.by.ours.wasmMemory.endMax;
/** The memory goal: a flat peak and wasm memory, and the heap after gc() growing as the floor's. */
const memoryFlat = peakFlat && wasmFlat &&
  memBy.ours.heapSlopeBytesPerPage <= Math.max(memBy.floor.heapSlopeBytesPerPage, 0) * 1.5 + 256;
/** A peak in words: median (min–max) of the runs. */
const peakText = (r) => `${mib(r.maxRss.median)} (${(r.maxRss.min / 2 ** 20).toFixed(1)}–${(r.maxRss.max / 2 ** 20).toFixed(1)})`;
/** A number with its sign, formatted by `format`. */
const signed = (v, format) => `${v < 0 ? "−" : "+"}${format(Math.abs(v))}`;
const signedMib = (b) => signed(b, mib);
const signedBytesPerPage = (b) => signed(b, (v) => `${v.toFixed(0)} B/page`);
/** Ours against the floor at the fewer keys: a difference only when no run of one overlaps the other's. */
function peakVersusFloor() {
  const [ours, floor] = [peakFew.by.ours.maxRss, peakFew.by.floor.maxRss];
  if (ours.min > floor.max) return `At ${peakFew.keys} keys every run of ours peaks above every run of the floor's, by ${mib(ours.median - floor.median)} in the medians.`;
  if (ours.max < floor.min) return `At ${peakFew.keys} keys every run of ours peaks below every run of the floor's (by ${mib(floor.median - ours.median)} in the medians).`;
  return `At ${peakFew.keys} keys the runs of ours and of the floor overlap: these runs show no difference between their peaks.`;
}
/** The peak's growth with the keys walked, in words. */
function peakVerdict() {
  const [ours, floor] = [peakGrowth("ours"), peakGrowth("floor")];
  const words = `From ${peakFew.keys} to ${peakMany.keys} keys our median peak changes by ${signedMib(ours.bytes)} (${signedBytesPerPage(ours.perPage)} over the pages walked in between), the floor's by ${signedMib(floor.bytes)} (${signedBytesPerPage(floor.perPage)}); the runs spread by up to ${mib(peakSpread)}`;
  return peakFlat ? `${words}: flat.` : `**${words}: our peak grows with the keys walked.**`;
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
  { label: "OpenRouter listAll: apikeys-wasm, prefetch: false", value: orT["ours, prefetch: false"].listAllRatio, kind: "ours" },
  { label: "OpenRouter listAll: apikeys-wasm (prefetch)", value: orT.ours.listAllRatio, kind: "ours" },
  { label: "OpenRouter listAll: @openrouter/sdk", value: orT.sdk.listAllRatio, kind: "theirs" },
  { label: "OpenRouter 1000 gets: apikeys-wasm", value: orT.ours.getsRatio, kind: "ours" },
  { label: "OpenRouter 1000 gets: @openrouter/sdk", value: orT.sdk.getsRatio, kind: "theirs" },
  { label: "Anthropic listAll: apikeys-wasm, prefetch: false", value: anT["ours, prefetch: false"].listAllRatio, kind: "ours" },
  { label: "Anthropic listAll: apikeys-wasm (prefetch)", value: anT.ours.listAllRatio, kind: "ours" },
  { label: "Anthropic listAll: @anthropic-ai/sdk", value: anT.sdk.listAllRatio, kind: "theirs" },
  { label: "Anthropic 1000 gets: apikeys-wasm", value: anT.ours.getsRatio, kind: "ours" },
  { label: "Anthropic 1000 gets: @anthropic-ai/sdk", value: anT.sdk.getsRatio, kind: "theirs" },
].map((r) => ({ ...r, text: x3(r.value) }));
const tpMax = Math.max(2, ...tpRows.map((r) => r.value)) * 1.05;

let y = 10;
const parts = [];
for (const [title, subtitle, rows, opts] of [
  ["Bundle size, gzip -9 (smaller is better)", "what a browser app ships for the same key operations; esbuild --bundle --minify, tree-shaken", sizeRows, { max: sizeMax, refs: [{ value: 40, label: "goal 40 KiB" }] }],
  ["Node start-up: import() → first request (median, smaller is better)", `fresh node process per sample, ${facts.node}; includes wasm compile + instantiate`, startRows, { max: startMax }],
  ["Throughput vs a hand-written fetch + JSON.parse loop (median ratio, 1.00 = floor)", `local sandbox, ${tpMeta.openrouter.keys} keys in pages of 100, 1000 sequential gets; prefetch: false is like for like, prefetch overlaps the server`, tpRows, { max: tpMax, refs: [{ value: 1, label: "floor" }, { value: 1.1, label: "goal 1.10" }] }],
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
const GOAL = 1.1;
const noPrefetch = (t) => t["ours, prefetch: false"];
/** Each provider's listAll, ours against the floor: like for like (prefetch: false) and with prefetch. */
const listGoal = { likeForLike: [orT, anT].every((t) => noPrefetch(t).listAllRatio <= GOAL), prefetch: [orT, anT].every((t) => t.ours.listAllRatio <= GOAL) };
const getsGoal = [orT, anT].every((t) => t.ours.getsRatio <= GOAL);
const tpGoal = listGoal.likeForLike && listGoal.prefetch && getsGoal;
/** A contender's listAll against the floor: the median ratio, its IQR, and its process CPU ÷ the floor's. */
const listText = (c) => `${xq3(c.listAllRatio, c.listAllRatioIqr)}, CPU ${x(c.listAllCpuRatio)}`;
// Ours ÷ the SDK, paired round by round: listAll without and with prefetch, and the gets.
const sdkPairs = Object.fromEntries(["openrouter", "anthropic"].map((provider) => {
  const { oursVersusSdk, noPrefetchVersusSdk } = tpMeta[provider];
  return [provider, [["listAll, \`prefetch: false\`", noPrefetchVersusSdk.listAll], ["listAll, \`prefetch\`", oursVersusSdk.listAll], ["gets", oursVersusSdk.gets]]];
}));
const fasterThanSdks = Object.values(sdkPairs).flat().every(([, pair]) => pair.median < 1);
const sdkPairsText = (provider) => sdkPairs[provider].map(([what, pair]) => `${what} ${xq3(pair.median, pair.iqr)}`).join(", ");
/** How long bench/run.sh (and make bench's build) took, and what the build and npm ci did. */
function durationText() {
  if (!duration) return "";
  const took = `${Math.floor(duration.seconds / 60)} min ${duration.seconds % 60} s`;
  const build = {
    clean: `a clean build: every compiled file of the wasm and the sandbox is newer than the start; building took ${duration.buildSeconds} s`,
    incremental: `an incremental build, not a clean one: cargo recompiled part of the wasm or the sandbox; building took ${duration.buildSeconds} s`,
    "up to date": `not a clean build: cargo found the wasm and the sandbox up to date, \`pkg/\` was only re-assembled; building took ${duration.buildSeconds} s`,
  }[duration.build];
  const what = duration.buildIncluded
    ? `\`make bench\` took ${took}, building \`pkg/\` and the sandbox included (${build})`
    : `The benchmarks took ${took}: \`bench/run.sh\` alone, with \`pkg/\` and the sandbox prebuilt, so no build (clean or not) is in this time`;
  const npm = duration.npmCi ? "`npm ci` ran (bench/node_modules was missing or not at the locked versions)" : "`npm ci` did not run (bench/node_modules was already at the locked versions)";
  return `${what}; ${npm}. Under 10 minutes: ${verdict(duration.seconds < 600)}.`;
}

md.push(`# Benchmarks

Generated by \`make bench\` (bench/run.sh) on ${facts.date}. Timings on this machine are noisy (other
jobs share it), so every timing here is a **median of many runs** and every comparison is a **ratio
measured side by side in the same run**; absolute milliseconds are only indicative. Ratios set
beside a goal have three decimals.

![size, start-up and throughput of apikeys-wasm and the official SDKs](benchmarks.svg)

## Summary

| question | result | goal |
|---|---|---|
| shipped size, gzip -9 (JS glue + wasm, all five providers) | ${kb(oursGz)}; ${x(oursGz / theirsBy["openrouter-funcs"].gzip)} the tree-shaken @openrouter/sdk, ${x(oursGz / theirsBy["anthropic-resource"].gzip)} the tree-shaken @anthropic-ai/sdk, ${x(oursGz / theirsBy["both-min"].gzip)} both together | ≤ 40 KiB: ${verdict(sizeGoal)} |
| shipped size of one provider's entry (\`apikeys-wasm/<provider>\`) | ${oneBy.openrouter ? `${kb(oneMin)}–${kb(oneMax)}; OpenRouter ${kb(oneBy.openrouter.bundled.gzip)} (${x(oneBy.openrouter.bundled.gzip / theirsBy["openrouter-funcs"].gzip)} its SDK), Anthropic ${kb(oneBy.anthropic.bundled.gzip)} (${x(oneBy.anthropic.bundled.gzip / theirsBy["anthropic-resource"].gzip)} its SDK)` : "not measured"} | – |
| Node start-up, import() → first request (median) | ${ms(nodeBy.ours.firstFetchMs.median)} ms; @openrouter/sdk funcs ${ms(nodeBy["openrouter-funcs"].firstFetchMs.median)} ms (${x(nodeBy["openrouter-funcs"].firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} ours), @anthropic-ai/sdk ${ms(nodeBy["anthropic-resource"].firstFetchMs.median)} ms (${x(nodeBy["anthropic-resource"].firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} ours) | – |
| workerd start-up, spawn → first answer (median) | ${wdBy.ours?.minusEmptyMs ? `${ms(wdBy.ours.firstResponseMs.median)} ms vs ${ms(wdBy.baseline.firstResponseMs.median)} ms for an empty worker; ours less the empty worker of the same round, median of the rounds: +${ms(wdBy.ours.minusEmptyMs.median)} ms (${ms(wdBy.ours.minusEmptyMs.p25)}–${ms(wdBy.ours.minusEmptyMs.p75)})` : "failed (see below)"} | – |
| listAll vs the fetch + JSON.parse floor (median of per-round ratios, interquartile range; CPU: process CPU ÷ the floor's) | like for like, \`prefetch: false\` (one request at a time, as the floor): OpenRouter ${listText(noPrefetch(orT))}; Anthropic ${listText(noPrefetch(anT))}. With the default \`prefetch\` (the next page is asked for while this one is read, so our work overlaps the server's and the ratio hides part of it): OpenRouter ${listText(orT.ours)}; Anthropic ${listText(anT.ours)} | ≤ 1.100×: like for like ${verdict(listGoal.likeForLike)}, with \`prefetch\` ${verdict(listGoal.prefetch)} |
| listAll when ${tpMeta["openrouter-link"].link} (OpenRouter) | ours ${x3(linkT.ours.listAllRatio)} the floor (with \`prefetch: false\` ${x3(noPrefetch(linkT)?.listAllRatio)}), @openrouter/sdk ${x3(linkT.sdk.listAllRatio)} | – |
| 1000 sequential gets vs floor (and per get: what ours adds, medians) | OpenRouter ${xq3(orT.ours.getsRatio, orT.ours.getsRatioIqr)} (${perGet("openrouter")}), Anthropic ${xq3(anT.ours.getsRatio, anT.ours.getsRatioIqr)} (${perGet("anthropic")}) | ≤ 1.100×: ${verdict(getsGoal)} |
| faster than each official SDK (same operations, same run; ours ÷ the SDK paired round by round: median and interquartile range) | ours ÷ @openrouter/sdk: ${sdkPairsText("openrouter")}; ours ÷ @anthropic-ai/sdk: ${sdkPairsText("anthropic")} | below 1 in every pair: ${verdict(fasterThanSdks)} |
| memory of listAll: true peak RSS (\`maxRSS\`, no forced gc(), median and range of ${memory.peakRuns} runs) at ${peakFew.keys} and ${peakMany.keys} keys | ours ${peakText(peakFew.by.ours)} → ${peakText(peakMany.by.ours)} (${signedMib(peakGrowth("ours").bytes)}, ${signedBytesPerPage(peakGrowth("ours").perPage)}); the floor ${peakText(peakFew.by.floor)} → ${peakText(peakMany.by.floor)} (${signedMib(peakGrowth("floor").bytes)}, ${signedBytesPerPage(peakGrowth("floor").perPage)}); heap after gc() grows ${memBy.ours.heapSlopeBytesPerPage.toFixed(0)} B/page (the floor: ${memBy.floor.heapSlopeBytesPerPage.toFixed(0)} B/page); wasm memory at the end ${kb(peakFew.by.ours.wasmMemory.endMax)} → ${kb(peakMany.by.ours.wasmMemory.endMax)} | flat: ${verdict(memoryFlat)} |

Throughput goal overall (≤ 1.100× the floor everywhere, listAll like for like and with \`prefetch\`): ${verdict(tpGoal)}.

${durationText()}

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
every loop shortened (a smoke test; its numbers mean nothing). \`make bench\` times itself from before
it builds; the summary says whether that build was a clean one and whether \`npm ci\` ran.

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
medians (p25–p75) in ms; "since process start" is \`performance.now()\` at the first fetch. The SDKs,
up to a second a process here, take ${nodeBy["openrouter-funcs"].firstFetchMs.n} samples, spread evenly over the ${nodeBy.ours.firstFetchMs.n} rounds.

| variant | samples | import → first fetch | import alone | since process start | ÷ ours |
|---|---:|---:|---:|---:|---:|
${startup.node.map((r) => `| ${r.label} | ${r.firstFetchMs.n} | ${ms(r.firstFetchMs.median)} (${ms(r.firstFetchMs.p25)}–${ms(r.firstFetchMs.p75)}) | ${ms(r.importMs.median)} | ${ms(r.sinceProcessStartMs.median)} | ${r.variant === "baseline" ? "–" : x(r.firstFetchMs.median / nodeBy.ours.firstFetchMs.median)} |`).join("\n")}

**workerd** (${facts.workerd}): time cannot be measured inside the isolate (workerd freezes
\`performance.now()\`/\`Date.now()\` while code runs, a Spectre mitigation), so this is the **wall
time of fresh \`workerd serve\` processes**, measured from \`spawn\` to (a) the socket being reported
on \`--control-fd\` (workerd compiles and evaluates the worker's modules before that) and (b) the
answer to the first HTTP request, whose handler constructs the client and calls \`list()\` with a
canned fetch. One warm-up round, then medians (p25–p75); "empty worker" is the same worker without any
library, so the difference to it is the library's cost: each round's first answer less the empty
worker's in the same round, and the median of those differences. Every worker is an esbuild bundle, as
wrangler would make it (ours: the bundled JS plus its \`.wasm\` as a module of its own).

| worker | samples | spawn → listening | spawn → first answer | − empty worker | 2nd request |
|---|---:|---:|---:|---:|---:|
${startup.workerd.map((r) => r.error ? `| ${r.label} | failed: ${esc(r.error.split("\n")[0])} | | | | |` : `| ${r.label} | ${r.firstResponseMs.n} | ${ms(r.listenMs.median)} | ${ms(r.firstResponseMs.median)} (${ms(r.firstResponseMs.p25)}–${ms(r.firstResponseMs.p75)}) | ${r.minusEmptyMs ? `${ms(r.minusEmptyMs.median)} (${ms(r.minusEmptyMs.p25)}–${ms(r.minusEmptyMs.p75)})` : "–"} | ${ms(r.secondRequestMs.median)} |`).join("\n")}

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
one (it cannot know the server's page size). ${tpMeta.openrouter.keys % 100 === 0 ? `With ${tpMeta.openrouter.keys} keys every page is full, so every contender sends the same ${tpMeta.openrouter.keys / 100 + 1} OpenRouter requests (the last one finds the end).` : `So ours sends one more OpenRouter request per listAll (${Math.ceil(tpMeta.openrouter.keys / 100) + 1} instead of ${Math.ceil(tpMeta.openrouter.keys / 100)}, about 1 %).`}
Anthropic's pages say whether more follow (\`has_more\`), so every contender sends ${Math.ceil(tpMeta.anthropic.keys / 100)} Anthropic requests.

${throughput.results[0].rounds} timed rounds after one warm-up round. In each round every contender walks
\`listAll\` once (random order, \`gc()\` before each walk), then the round's ${throughput.results[0].gets} gets
are made in blocks of ${throughput.results[0].getBlock ?? throughput.results[0].gets}, the contenders taking turns block by block (who goes first
rotates; a minor \`gc()\`, untimed, before each block), so that every contender meets the same
moments of the machine's load. Each time is divided by the floor's time **in the same round**; the
ratio columns are the medians of those per-round ratios, with their interquartile range in
brackets (the spread of single rounds; whole runs spread less, but differ by more than a round's
median can show: see the README's ranges). CPU is the client process's CPU time from
\`process.cpuUsage()\`, same pairing: all its threads, so it includes V8's background garbage
collector and compiler threads, not only the JavaScript thread. Times are medians in ms. \`ours, prefetch: false\` makes the
same gets as \`ours\` (the option changes only \`listAll\`): the difference of their gets ratios is
the noise of the run.

@openrouter/sdk ${facts.openrouter} validates every key against its schema (it needs \`external_user\`
and, on \`GET /key\`, newer fields); the sandbox sends them, so every contender talks to the same server
with the global \`fetch\`.

${throughput.results.map((r) => `**${r.provider === "openrouter" ? "OpenRouter" : "Anthropic"}${r.link ? `, ${r.link}` : ""}** (${r.keys} keys listed, ${r.gets} gets, ${r.rounds} timed rounds):

| contender | listAll ms | ÷ baseline | process CPU ÷ | ${r.gets} gets ms | ÷ baseline | process CPU ÷ | baseline |
|---|---:|---:|---:|---:|---:|---:|---|
${r.contenders.map((c) => `| ${c.name === "sdk" ? (r.provider === "openrouter" ? "@openrouter/sdk" : "@anthropic-ai/sdk") : c.name} | ${ms(c.listAllMs)} | ${xq3(c.listAllRatio, c.listAllRatioIqr)} | ${x(c.listAllCpuRatio)} | ${ms(c.getsMs)} | ${xq3(c.getsRatio, c.getsRatioIqr)} | ${x(c.getsCpuRatio)} | ${c.baseline ?? "–"} |`).join("\n")}
`).join("\n")}
Goals: ours ≤ 1.100× the floor — listAll like for like (\`prefetch: false\`) ${verdict(listGoal.likeForLike)}, with \`prefetch\` ${verdict(listGoal.prefetch)}, gets ${verdict(getsGoal)}; faster than each official SDK (paired ratios in the summary) — ${verdict(fasterThanSdks)}.

### Where our listAll spends its time

A V8 CPU profile (\`bench/profile.mjs\`) of ${profile.runs} listAll runs over the sandbox's ${profile.keysListed}
listed OpenRouter keys, taken in the walking process with \`node:inspector\`'s profiler
(\`bench/profile-child.mjs\`), started after the imports and a warm-up walk: process start-up,
module loading and the first compilations are not in it. Self time by group:

| group | ms | share of busy time |
|---|---:|---:|
${profile.rows.map((r) => `| ${r.group} | ${r.ms.toFixed(0)} | ${r.shareOfBusy === null ? "–" : `${(100 * r.shareOfBusy).toFixed(0)} %`} |`).join("\n")}

Top wasm-bindgen glue functions (self ms): ${topText(profile.topGlue)}. Top functions in "other":
${topText(profile.topOther)} (\`(program)\` is time the profiler charges to no JavaScript function: native code of
V8 and Node).
"wasm code (ours)" is the core reading each body into a tape (\`json/tape/src/parse.rs\`, \`json/tape/src/doc.rs\`),
mapping it to the canonical model and writing the keys as columns (their strings in one text, the
rest as numbers); undici's own wasm (its HTTP parser) is counted with undici. Bodies enter the wasm
as bytes (one copy); in the glue, \`getStringFromWasm0\` brings the columns' text back and a
\`Float64Array\` view reads the numbers. \`raw\` is not copied through the wasm: \`buildKeys\`
(runtime.js) rebuilds the key objects from the columns and takes \`raw\` from JS's own parse of the
body in runtime.js's \`memberOf\`, the same parse the floor does; V8 charges \`JSON.parse\` to its
caller, so that row is \`memberOf\`'s self time. "socket writes" is the write system call undici
makes to send each request (\`writeLatin1String\`), which the floor makes too. The floor's whole
client cost is Node's fetch plus one \`JSON.parse\`.

## 4. Memory

\`listAll\` over seeded OpenRouter keys (pages of 100; ours also reads the empty page that ends the
walk, the floor stops at a short page), each run in a fresh process (\`bench/memory-child.mjs\`),
keys counted and dropped, ours and the fetch + JSON.parse floor.

**Peak**: the process's true peak RSS, \`process.resourceUsage().maxRSS\`, in runs without any forced
\`gc()\` (as a user's process runs), ${memory.peakRuns} runs of each variant at each size, ours and the floor
alternating; median (min–max) of the runs. Flat means our peak grows from ${peakFew.keys} to
${peakMany.keys} keys by no more than the floor's does (the floor keeps nothing) plus the widest spread of
the runs.

| variant | keys | pages | s (median) | peak RSS: median | runs, in order | wasm memory before the walk / at the end |
|---|---:|---:|---:|---:|---|---:|
${[peakFew, peakMany].flatMap((p) => ["ours", "floor"].map((v) => p.by[v])).map((r) => `| ${r.variant} | ${r.keys} | ${r.pages} | ${r.seconds.toFixed(1)} | ${mib(r.maxRss.median)} | ${r.maxRss.runs.map(mib).join(", ")} | ${r.wasmMemory ? `${kb(r.wasmMemory.start)} / ${kb(r.wasmMemory.endMax)}` : "–"} |`).join("\n")}

${peakVerdict()} ${peakVersusFloor()} ${wasmFlat ? `Our wasm linear memory ends the ${peakMany.keys}-key walks no larger than the ${peakFew.keys}-key ones (${kb(peakMany.by.ours.wasmMemory.endMax)}).` : `**Our wasm linear memory ends the ${peakMany.keys}-key walks larger than the ${peakFew.keys}-key ones: ${kb(peakMany.by.ours.wasmMemory.endMax)} against ${kb(peakFew.by.ours.wasmMemory.endMax)}.**`}

**Heap**: one run of each variant over ${memory.seeded} keys in \`node --expose-gc\`, where every 20 pages
\`gc()\` runs and \`heapUsed\` (and, for ours, the wasm linear memory) is recorded: the live heap
without the garbage. Slopes are least-squares fits over the second half of the pages (steady
state) and, in brackets, over the pages after the first 10 %. (The forced \`gc()\` changes how the
process runs, so these runs give no peak.)

| variant | keys | s | heap slope (B/page) | wasm memory at 2 % / 50 % / end |
|---|---:|---:|---:|---:|
${memory.runs.map((r) => `| ${r.variant} | ${r.keys} | ${r.seconds.toFixed(1)} | ${r.heapSlopeBytesPerPage.toFixed(0)} (${r.early.heapSlopeBytesPerPage.toFixed(0)}) | ${r.wasmMemory ? `${kb(r.wasmMemory.first)} / ${kb(r.wasmMemory.half)} / ${kb(r.wasmMemory.last)}` : "–"} |`).join("\n")}

Over ${memBy.ours.pages} pages the live heap after \`gc()\` grows by ${(memBy.ours.heapSlopeBytesPerPage * memBy.ours.pages / 1024).toFixed(0)} KiB for ours and
${(memBy.floor.heapSlopeBytesPerPage * memBy.floor.pages / 1024).toFixed(0)} KiB for the floor, which keeps nothing. ${wasmGrowth <= 65536 ? `The wasm linear memory grows by ${wasmGrowth === 0 ? "nothing" : "at most one 64 KiB page"} over the run.` : `**The wasm linear memory grows by ${kb(wasmGrowth)} over the run.**`}

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

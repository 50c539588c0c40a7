// Shared helpers of the benchmark scripts: paths, statistics, the sandbox (reused from the
// test suite), result files.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(benchDir, "..");
export const pkgDir = path.join(root, "pkg");
export const resultsDir = path.join(benchDir, "results");
export { startSandbox } from "../tests/js/support/sandbox.mjs";

/** Environment knob: `BENCH_QUICK=1` shrinks every loop (for a smoke run). */
export const quick = process.env.BENCH_QUICK === "1";

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Quantile q in [0, 1] with linear interpolation. */
export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Least-squares slope and intercept of y over x. */
export function linearFit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Fisher–Yates shuffle (a copy). */
export function shuffled(items) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function writeResult(name, data) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${name}.json`), JSON.stringify(data, null, 2) + "\n");
}

export function readResult(name) {
  return JSON.parse(readFileSync(path.join(resultsDir, `${name}.json`), "utf8"));
}

/** The version in the package.json of the package at `dir`. */
export function packageVersion(dir) {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).version;
}

export const log = (...args) => console.error("[bench]", ...args);

/** Seeds OpenRouter keys so that exactly `count` are listed (the sandbox's own few, all on its first page, included). */
export async function seedListedOpenRouter(sb, count) {
  const o = sb.options("openrouter");
  const page = await fetch(`${o.baseUrl}/keys`, { headers: { authorization: `Bearer ${o.apiKey}` } });
  await sb.seed("openrouter", count - JSON.parse(await page.text()).data.length);
}

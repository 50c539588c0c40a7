// Installs the built pkg/ into a fresh scratch project the way a user would
// (`npm pack` + `npm install <tarball>`), and imports it through its `exports` map.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./sandbox.mjs";

let installed;

/** The scratch project's directory, with apikeys-wasm installed (once per process). */
export function scratchProject() {
  if (installed) return installed;
  const dir = mkdtempSync(path.join(tmpdir(), "apikeys-user-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
  const tarball = execFileSync("npm", ["pack", path.join(root, "pkg"), "--pack-destination", dir, "--silent"], {
    encoding: "utf8",
  }).trim().split("\n").pop();
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", path.join(dir, tarball)], { cwd: dir, stdio: "inherit" });
  installed = dir;
  return dir;
}

/** The file the scratch project's Node resolves `specifier` (e.g. "apikeys-wasm/openrouter") to. */
export function resolvePackage(specifier = "apikeys-wasm") {
  return createRequire(path.join(scratchProject(), "package.json")).resolve(specifier);
}

/** `import(specifier)` as the scratch project would resolve it in Node. */
export async function importPackage(specifier = "apikeys-wasm") {
  return import(pathToFileURL(resolvePackage(specifier)).href);
}

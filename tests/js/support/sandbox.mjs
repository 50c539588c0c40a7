// Starts the sandbox emulator (target/release/sandbox) on a free loopback port for a test
// file, and stops it afterwards. `make test` builds the binary first.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Starts a sandbox; resolves to `{ url, info, stop(), reset(), fault(rule), keys(provider) }`. */
export async function startSandbox(extraArgs = []) {
  const binary = path.join(root, "target/release/sandbox");
  const args = ["--port", "0", "--www", path.join(root, "www"), "--pkg", path.join(root, "pkg"), ...extraArgs];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const match = /^sandbox listening on (http:\/\/\S+)$/.exec(line);
      match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited early with ${code}`)));
  });
  const control = async (method, route, body) => {
    const response = await fetch(`${url}/_sandbox/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${route}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const info = await control("GET", "info");
  return {
    url,
    info,
    child,
    /** `{ provider, apiKey, baseUrl }` for `new ApiKeys(...)`. */
    options(provider, extra = {}) {
      const p = info.providers[provider];
      return { provider, apiKey: p.managementKey, baseUrl: p.baseUrl, ...extra };
    },
    reset: () => control("POST", "reset"),
    fault: (rule) => control("POST", "faults", rule),
    clearFaults: () => control("DELETE", "faults"),
    seed: (provider, count, prefix = "bulk") => control("POST", "seed", { provider, count, prefix }),
    keys: (provider) => control("GET", `keys/${provider}`),
    createAnthropicKey: (name) => control("POST", "anthropic/keys", { name }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

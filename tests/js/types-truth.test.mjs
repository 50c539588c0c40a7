// The .d.ts files against the runtime: every value the end-to-end scenarios get back (each
// operation of each provider, against the sandbox) and every error they see is written as an
// object literal typed with the package's declared type, and `tsc --strict` compiles that
// file (with `exactOptionalPropertyTypes`). Excess-property and assignability checks then
// fail on a member the types do not declare, one they declare that is absent, a `null` where
// the type has none, a word outside a union. tests/ts/consumer.ts checks only that a
// consumer compiles: a wrong declaration that compiles passed it unnoticed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { root, startSandbox } from "./support/sandbox.mjs";
import { runAll } from "../e2e/scenarios.mjs";

/** The declared result type of each method (`listAll`: of each key it hands out). */
const RESULT = {
  list: "Page", listActive: "Page", get: "ApiKey", current: "ApiKey", update: "ApiKey", revoke: "ApiKey",
  enable: "ApiKey", setBudget: "ApiKey", resetBudgetPeriod: "ApiKey", create: "CreatedKey", rotate: "CreatedKey",
  usage: "Usage", delete: "void",
};

test("every result and error of the e2e scenarios has its declared type", { timeout: 180_000 }, async () => {
  const pkg = await import(pathToFileURL(path.join(root, "pkg/node.js")).href);
  const seen = [];
  const errorsSeen = [];
  const record = (error) => {
    if (error instanceof pkg.ApiKeysError) {
      const own = Object.getOwnPropertyNames(error).filter((k) => !["stack", "message", "cause"].includes(k));
      errorsSeen.push({ type: error.name, value: Object.fromEntries(own.map((k) => [k, error[k]])) });
    }
    throw error;
  };
  const proto = pkg.ApiKeys.prototype;
  const originals = {};
  for (const [name, type] of Object.entries(RESULT)) {
    originals[name] = proto[name];
    proto[name] = function (...args) {
      return originals[name].apply(this, args).then((value) => (seen.push({ type, name, value }), value), record);
    };
  }
  originals.listAll = proto.listAll;
  proto.listAll = function (...args) {
    const walk = originals.listAll.apply(this, args);
    const next = walk.next;
    walk.next = () => next().then((r) => (r.done || seen.push({ type: "ApiKey", name: "listAll", value: r.value }), r), record);
    return walk;
  };
  const sandbox = await startSandbox();
  try {
    const results = await runAll({ ApiKeys: pkg.ApiKeys, errors: pkg, sandbox: { url: sandbox.url, info: sandbox.info } });
    assert.deepEqual(results.filter((r) => !r.ok), [], "the scenarios pass");
  } finally {
    Object.assign(proto, originals);
    await sandbox.stop();
  }
  for (const { name, value } of seen.filter((s) => s.type === "void")) assert.equal(value, undefined, `${name} resolves to undefined`);
  const seenTypes = new Set(seen.map((s) => s.type));
  for (const type of ["Page", "ApiKey", "CreatedKey", "Usage"]) assert.ok(seenTypes.has(type), `no ${type} was seen`);

  const lines = [
    `import type { ApiKey, CreatedKey, Page, Usage } from "apikeys-wasm";`,
    `import type * as E from "apikeys-wasm";`,
    `type Members<T> = Omit<T, keyof Error | "toJSON">;`,
  ];
  seen.filter((s) => s.type !== "void").forEach(({ type, name, value }, i) => lines.push(`// ${name}`, `export const r${i}: ${type} = ${JSON.stringify(value)};`));
  errorsSeen.forEach(({ type, value }, i) => lines.push(`export const e${i}: Members<E.${type}> = ${JSON.stringify(value)};`));

  const dir = mkdtempSync(path.join(tmpdir(), "types-truth-"));
  try {
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(path.join(root, "pkg"), path.join(dir, "node_modules/apikeys-wasm"));
    writeFileSync(path.join(dir, "package.json"), `{ "type": "module" }`);
    writeFileSync(path.join(dir, "truth.ts"), lines.join("\n") + "\n");
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
        lib: ["ES2022"], types: ["node"], typeRoots: [path.join(root, "node_modules/@types")], skipLibCheck: false,
        exactOptionalPropertyTypes: true,
      },
      files: ["truth.ts"],
    }));
    try {
      // typescript/bin/tsc, not .bin/tsc: that is typescript-5.2's (both packages name a bin `tsc`).
      execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
    } catch (error) {
      assert.fail(`the declared types do not match what the runtime returned:\n${error.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

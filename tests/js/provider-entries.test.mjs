// The one-provider entries (`apikeys-wasm/<provider>`): each, installed as a user would, runs
// every scenario of its provider against the sandbox, refuses the other four by name before
// any request, and shares the main entry's error classes (so `instanceof` works across both).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { importPackage, resolvePackage } from "./support/install.mjs";
import { scenarioSuite, withSandbox } from "../e2e/harness.mjs";
import { PROVIDERS, runAll } from "../e2e/scenarios.mjs";

const sandbox = withSandbox();

for (const provider of PROVIDERS) {
  const specifier = `apikeys-wasm/${provider}`;

  test(`${specifier}: Node resolves it to its own entry, with the main entry's error classes`, async () => {
    assert.equal(path.relative(path.dirname(resolvePackage()), resolvePackage(specifier)), path.join(provider, "node.js"));
    const [main, one] = await Promise.all([importPackage(), importPackage(specifier)]);
    assert.notEqual(one.ApiKeys, main.ApiKeys, "its own wasm");
    // with a name of its own (two wasm files copied next to one bundle cannot clash), exported
    // for a build script to find
    const wasm = resolvePackage(`${specifier}/apikeys_${provider}_bg.wasm`);
    assert.equal(path.relative(path.dirname(resolvePackage()), wasm), path.join(provider, `apikeys_${provider}_bg.wasm`));
    for (const name of Object.keys(main).filter((name) => name.endsWith("Error"))) {
      assert.equal(one[name], main[name], `${name} is the same class`);
    }
  });

  test(`${specifier}: the other providers are refused by name, nothing sent`, async () => {
    const one = await importPackage(specifier);
    const main = await importPackage();
    let requests = 0;
    const fetch = async () => {
      requests++;
      return new Response("{}");
    };
    for (const other of PROVIDERS.filter((p) => p !== provider)) {
      assert.throws(
        () => new one.ApiKeys({ provider: other, apiKey: "k", fetch }),
        (error) => {
          assert.ok(error instanceof main.ValidationError, `${other}: a ValidationError of the main entry too`);
          assert.deepEqual(error.fields.map((f) => f.field), ["provider"], `${other}: only provider is wrong`);
          assert.equal(
            error.fields[0].message,
            `"${other}" is not in this build, which has only "${provider}": the apikeys-wasm entry (not apikeys-wasm/<provider>) has all five`,
          );
          return true;
        },
      );
    }
    assert.throws(() => new one.ApiKeys({ provider: "nope", apiKey: "k", fetch }), (error) => error.fields[0].message === `must be one of "${provider}"`);
    assert.equal(requests, 0);
  });

  scenarioSuite(specifier, async (sb) => {
    const one = await importPackage(specifier);
    return runAll({ ApiKeys: one.ApiKeys, errors: one, sandbox: { url: sb.url, info: sb.info }, only: [provider] });
  }, { sandbox, providers: [provider] });
}

// Has wasm-bindgen's glue keep each `ApiKeys`'s handle on the wasm out of reach: it calls
// runtime.js's `guardClient(ApiKeys)` once its class is defined (see there why).
// Usage: node scripts/guard-client.mjs <dir> (holding apikeys.js).
// Fails, changing nothing, unless the glue has one named import from runtime.js and one
// `export class ApiKeys`.
import { readFileSync, writeFileSync } from "node:fs";

const path = `${process.argv[2]}/apikeys.js`;
const glue = readFileSync(path, "utf8");
const runtimeImport = /^import \{ ([^}]+) \} from '(\.\/snippets\/[^']+\/src\/js\/runtime\.js)';$/gm;
const imports = [...glue.matchAll(runtimeImport)];
const classes = glue.match(/^export class ApiKeys \{$/gm) ?? [];
if (imports.length !== 1 || classes.length !== 1) {
  console.error(`guard-client: expected one named import from runtime.js and one ApiKeys class in ${path}, found ${imports.length} and ${classes.length}`);
  process.exit(1);
}
const [line, names, from] = imports[0];
const guarded = glue.replace(line, `import { ${names}, guardClient } from '${from}';`) + "guardClient(ApiKeys);\n";
writeFileSync(path, guarded);

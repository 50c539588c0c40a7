#!/usr/bin/env bash
# Assembles the npm package in pkg/ from the wasm-bindgen output and pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
src=target/bindgen
rm -rf pkg && mkdir -p pkg
cp -r "$src/apikeys.js" "$src/apikeys_bg.wasm" "$src/snippets" pkg/
# The public types: `ApiKeys` and the hand-written types; wasm-bindgen's internal classes
# (`Flight`, `KeyPager`) and its init functions (used only by the entries, typed with DOM
# names a Node-only project lacks) are cut, and `Symbol.dispose` is declared as
# @types/node does, so `keys[Symbol.dispose]()` type-checks with older libs (`using` itself
# needs TypeScript's esnext.disposable lib). Checked, not guessed.
node scripts/public-types.mjs "$src/apikeys.d.ts" pkg/apikeys.d.ts
cp pkg-template/* LICENSE-MIT LICENSE-APACHE pkg/
runtime=$(cd pkg && ls snippets/*/src/js/runtime.js)
sed "s#__RUNTIME__#./$runtime#" pkg-template/errors.js > pkg/errors.js
# The README's links into the repository (docs/, sandbox/) point there from npm's page too.
repository=$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml)
sed -E "s#\]\((docs|sandbox)/#](${repository}/blob/main/\1/#g" README.md > pkg/README.md
# One entry per provider (`apikeys-wasm/<provider>`, from `build-wasm.sh <provider>`): its own
# glue and wasm, the same runtime.js as the main entry (so the same error classes).
providers="gptcore quantum openrouter anthropic fluxbase"
for provider in $providers; do
  from=target/bindgen-$provider
  if ! cmp -s "$from/$runtime" "pkg/$runtime"; then
    echo "pkg.sh: $from has no $runtime identical to the main entry's (rebuild both)" >&2
    exit 1
  fi
  mkdir -p "pkg/$provider"
  # Each entry's wasm has a name of its own, so that two can sit side by side in a bundle's
  # output (a bundler that does not see `new URL(…)`, such as esbuild, needs them copied there).
  wasm="apikeys_${provider}_bg.wasm"
  cp "$from/apikeys_bg.wasm" "pkg/$provider/$wasm"
  # The glue's `import … from './snippets/…'` lines point one level up (the wasm's own import
  # modules have short names: scripts/shorten-imports.mjs), and so does its types directive
  # (for Deno, reading the file by path): the glue's API is the main entry's.
  sed -E -e "/^import /s#(['\"])\./snippets/#\1../snippets/#" -e 's#^/\* @ts-self-types="\./apikeys\.d\.ts" \*/$#/* @ts-self-types="../apikeys.d.ts" */#' "$from/apikeys.js" > "pkg/$provider/apikeys.js"
  if ! grep -qx '/\* @ts-self-types="\.\./apikeys\.d\.ts" \*/' "pkg/$provider/apikeys.js"; then
    echo "pkg.sh: pkg/$provider/apikeys.js has no types directive pointing at ../apikeys.d.ts" >&2
    exit 1
  fi
  if grep -E "^import .*['\"]\./snippets/" "pkg/$provider/apikeys.js" || ! grep -qE "^import .*['\"]\.\./snippets/" "pkg/$provider/apikeys.js"; then
    echo "pkg.sh: pkg/$provider/apikeys.js does not import ../snippets/" >&2
    exit 1
  fi
  for entry in index.js node.js deno.js workerd.js; do
    sed -e 's#"\./errors\.js"#"../errors.js"#' -e "s#\"\./apikeys_bg\.wasm\"#\"./$wasm\"#" "pkg-template/$entry" > "pkg/$provider/$entry"
    if grep -q "apikeys_bg\.wasm" "pkg/$provider/$entry" || ! grep -q "\"\./$wasm\"" "pkg/$provider/$entry"; then
      echo "pkg.sh: pkg/$provider/$entry does not load ./$wasm" >&2
      exit 1
    fi
  done
  node scripts/entry-types.mjs pkg "$provider" > "pkg/$provider/index.d.ts"
done
echo "pkg: $(du -sh pkg | cut -f1) ($(gzip -9c pkg/apikeys_bg.wasm | wc -c) bytes of gzipped wasm; one provider: $(for p in $providers; do printf "%s %s " $p $(gzip -9c pkg/$p/apikeys_${p}_bg.wasm | wc -c); done))"

#!/usr/bin/env bash
# Assembles the npm package in pkg/ from the wasm-bindgen output and pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
src=target/bindgen
rm -rf pkg && mkdir -p pkg
cp -r "$src/apikeys.js" "$src/apikeys_bg.wasm" "$src/snippets" pkg/
# Types without `[Symbol.dispose]`, so consumers need no esnext.disposable lib (it still works at runtime).
grep -v 'Symbol.dispose' "$src/apikeys.d.ts" > pkg/apikeys.d.ts
cp pkg-template/* pkg/
runtime=$(cd pkg && ls snippets/*/src/js/runtime.js)
sed "s#__RUNTIME__#./$runtime#" pkg-template/errors.js > pkg/errors.js
cp README.md pkg/README.md 2>/dev/null || true
echo "pkg: $(du -sh pkg | cut -f1) ($(gzip -9c pkg/apikeys_bg.wasm | wc -c) bytes of gzipped wasm)"

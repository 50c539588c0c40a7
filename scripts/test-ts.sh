#!/usr/bin/env bash
# Compiles tests/ts/consumer.ts with `tsc --strict` against the built pkg/, resolved
# through the package's own `exports` ("types" condition), as a user's project would.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tests/ts/node_modules
ln -sfn ../../../pkg tests/ts/node_modules/apikeys-wasm
# Not node_modules/.bin/tsc: typescript-5.2 installs a `tsc` bin too, and npm linked that one there.
node node_modules/typescript/bin/tsc -p tests/ts/tsconfig.json
node node_modules/typescript/bin/tsc -p tests/ts/tsconfig.node.json
node node_modules/typescript/bin/tsc -p tests/ts/tsconfig.disposable.json
# TypeScript 5.2-5.5 have `using` but their AsyncGenerator has no [Symbol.asyncDispose]:
# the package's own KeyIterator declaration must carry `await using` there too.
node node_modules/typescript-5.2/bin/tsc -p tests/ts/tsconfig.disposable.json
echo "tsc --strict: the TypeScript consumer compiles (with the DOM lib, and in a Node-only project)"

// How many bytes files take gzipped as the size record and the build's checks count them.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** zlib level 9 of the files joined, in bytes. */
export function gzippedSize(paths) {
  return gzipSync(Buffer.concat(paths.map((file) => readFileSync(file))), { level: 9 }).length;
}

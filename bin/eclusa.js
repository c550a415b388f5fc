#!/usr/bin/env node
// The `eclusa` command. It runs the bundled CLI (dist/eclusa.cjs, built by `npm ci` through
// `prepare`) through a V8 code cache kept beside it, so a command starts in a fraction of
// the time a cold compile takes (one cache file per command, written by its first run). The cache is an optimisation only: any problem with it
// and the CLI runs uncached.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('../dist/eclusa.cjs', import.meta.url));
// One cache per command: V8 caches the functions a run compiled, and each command runs others.
const command =
  process.argv
    .slice(2, 4)
    .filter((word) => /^[a-z][a-z-]*$/.test(word))
    .join('-') || 'eclusa';
const cacheFile = `${file}.${process.version}.${command}.v8cache`;

let source;
try {
  source = readFileSync(file, 'utf8');
} catch {
  process.stderr.write(
    'eclusa is not built: run `npm ci` (or `npm run build`) in the eclusa folder first\n',
  );
  process.exit(1);
}
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));

const code = await module.exports.main(process.argv.slice(2));
// Only a successful run writes a cache, so a mistyped command leaves no file behind.
if (code === 0 && (cachedData === undefined || script.cachedDataRejected)) {
  try {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only install simply runs without the cache.
  }
}
process.exitCode = code;

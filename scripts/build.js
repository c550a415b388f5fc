// Bundles the CLI into one CommonJS file, dist/eclusa.cjs. One file loads far faster than
// hundreds of ES modules (zod alone is ~100), and bin/eclusa.js adds a V8 code cache on top.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`, { recursive: true });
await build({
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/eclusa.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native addons and optional drivers stay outside the bundle and load from node_modules.
  // libpg-query loads its WebAssembly from beside its own file, so it stays in node_modules too.
  external: ['better-sqlite3', 'pg-native', 'cpu-features', 'ssh2', 'libpg-query'],
  define: {
    __ECLUSA_VERSION__: JSON.stringify(pkg.version),
    'import.meta.url': '__eclusaModuleUrl',
  },
  banner: { js: "const __eclusaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  // Fewer bytes to read and hash at every start; identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
console.log('built dist/eclusa.cjs');

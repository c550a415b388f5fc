// Bundles the CLI into one CommonJS file, dist/eclusa.cjs, and the builtin router's process
// into dist/router.cjs. One file loads far faster than hundreds of ES modules (zod alone is
// ~100), and bin/eclusa.js adds a V8 code cache on top.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native addons and optional drivers stay outside the bundle and load from node_modules;
  // so does libpg-query, which reads its WebAssembly file from beside its own script.
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
};
await build({
  ...common,
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/eclusa.cjs`,
});
// The builtin router runs as its own long-lived process; the CLI finds it beside itself.
await build({
  ...common,
  entryPoints: [`${root}src/adapters/router/builtin/builtin-router-main.ts`],
  outfile: `${root}dist/router.cjs`,
});

// The process target's slot supervisor runs as a program of its own beside the CLI, detached
// from it, so that apps keep being supervised while eclusa restarts. Node built-ins only.
await build({
  ...common,
  entryPoints: [`${root}src/adapters/target/process/supervisor-main.ts`],
  outfile: `${root}dist/supervisor.cjs`,
});

// The sample app the demo deploys: plain Node, so `eclusa demo` needs nothing but npm ci.
await build({
  ...common,
  entryPoints: [`${root}examples/sample-app/server.ts`],
  outfile: `${root}dist/sample-app.cjs`,
});
console.log('built dist/eclusa.cjs, dist/router.cjs, dist/supervisor.cjs, dist/sample-app.cjs');

// Measures eclusa's start-up as whole processes: `eclusa --version` and `eclusa policy check`
// on the largest example. Prints median, p90 and min over N runs for each. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin/eclusa.js');
const runs = Number(process.env.BENCH_RUNS ?? 30);

const examples = readdirSync(join(root, 'examples'))
  .map((name) => join(root, 'examples', name, 'eclusa.yaml'))
  .filter((file) => existsSync(file))
  .sort((a, b) => statSync(b).size - statSync(a).size);
const largest = examples[0];
if (!largest) throw new Error('no example policy found under examples/');

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`eclusa ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0] };
}

const cases = [
  { name: 'eclusa --version', args: ['--version'] },
  {
    name: `eclusa policy check (${largest.replace(root, '')}, ${statSync(largest).size} bytes)`,
    args: ['policy', 'check', '--file', largest],
  },
  { name: 'node -e "" (the floor: Node.js itself)', node: true },
];

console.log(
  `cli-startup: ${runs} runs each, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
for (const c of cases) {
  const samples = [];
  // Warm the file cache (and write the command's code cache) before measuring.
  for (let i = 0; i < 3; i++) {
    if (c.node) spawnSync(process.execPath, ['-e', '']);
    else time(c.args);
  }
  for (let i = 0; i < runs; i++) {
    if (c.node) {
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, ['-e', '']);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    } else {
      samples.push(time(c.args));
    }
  }
  const s = stats(samples);
  console.log(
    `${c.name.padEnd(72)} median ${s.median.toFixed(1)} ms  p90 ${s.p90.toFixed(1)} ms  min ${s.min.toFixed(1)} ms`,
  );
}

/**
 * Migration linter throughput: statements per second through `lintMigrations` with the
 * real PostgreSQL grammar (libpg-query), over a generated folder of migration files that
 * mixes safe and unsafe DDL from the test corpus. Prints the figures and the machine.
 *
 *   BENCH_FILES (default 500)  migration files, each with the corpus' statements
 *   BENCH_RUNS  (default 5)    runs; the best and the median are shown
 *
 *   npx tsx bench/migration-lint/run.ts
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createLibpgQueryParser } from '../../src/adapters/sql/libpg-query/libpg-query-parser.js';
import {
  lintMigrations,
  type MigrationSource,
} from '../../src/core/migrations/lint/lint-migrations.js';
import { CORPUS } from '../../test/migrations/lint-corpus.js';

const files = Number(process.env['BENCH_FILES'] ?? 500);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);

const machine = () =>
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`;
console.log(`machine: ${machine()}`);

// Every corpus case that parses, as one file body: ~250 statements of realistic DDL.
const body = CORPUS.flatMap((c) =>
  typeof c.files === 'string' ? [c.files] : Object.values(c.files),
)
  .filter((text) => !text.includes('TABEL'))
  .map((text) => text.replace(/^-- eclusa:no-transaction\n/, '').replace(/;?\s*$/, ';'))
  .join('\n');
const sources: MigrationSource[] = Array.from({ length: files }, (_, i) => {
  const name = `${String(i + 1).padStart(4, '0')}_step.up.sql`;
  return { name, path: name, text: body };
});

const loadStart = performance.now();
const parser = await createLibpgQueryParser();
console.log(`parser load (WebAssembly): ${(performance.now() - loadStart).toFixed(0)} ms`);

const parseOnly: number[] = [];
const linting: number[] = [];
let statements = 0;
for (let run = 0; run < runs; run++) {
  let start = performance.now();
  for (const source of sources) parser.parse(source.text);
  parseOnly.push((performance.now() - start) / 1000);
  start = performance.now();
  const report = lintMigrations(sources, parser, { release: '9.0.0' });
  linting.push((performance.now() - start) / 1000);
  statements = report.statements;
}
const rate = (seconds: number) =>
  `${Math.round(statements / seconds).toLocaleString('en-US')} statements/s`;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!;
console.log(`${files} files, ${statements.toLocaleString('en-US')} statements, ${runs} runs`);
console.log(`parse only: best ${rate(sorted(parseOnly)[0]!)}, median ${rate(median(parseOnly))}`);
console.log(
  `lint (parse + every rule): best ${rate(sorted(linting)[0]!)}, median ${rate(median(linting))} (target ≥ 2,000 statements/s)`,
);
console.log(`machine after: load average ${loadavg()[0]!.toFixed(2)}`);

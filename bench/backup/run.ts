/**
 * Overhead of eclusa's backup step over a bare `pg_dump -Fc` of the same database to a file:
 * `npm run bench:backup` (BENCH_MB: database size, default 1024; BENCH_ROUNDS: rounds,
 * default 5). Builds the database in a throwaway cluster (not timed), then interleaves bare
 * dumps and the step's own code path (runBackup: pg_dump, per-table row counts and checksums
 * in the dump's snapshot, pg_restore reading the whole dump back, SHA-256, size, records,
 * retention), alternating which goes first, and prints every round and the medians.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runBackup } from '../../src/core/services/backup-service.js';
import { databaseFixture, databasePolicy } from '../../test/database/database-fixture.js';
import { execSql } from '../../test/support/postgres-app-role.js';
import { startPostgres } from '../../test/support/postgres-server.js';
import { benchDatabaseSql } from './bench-database.js';

const megabytes = Number(process.env['BENCH_MB'] ?? 1024);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const time = async (fn: () => unknown): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const server = await startPostgres();
if ('skip' in server) throw new Error(server.skip);
const fixture = await databaseFixture(databasePolicy(), { APP_DATABASE_URL: server.url });
try {
  const built = performance.now();
  await execSql(server.url, benchDatabaseSql(megabytes));
  await execSql(server.url, 'vacuum analyze');
  const size = Number(
    execFileSync('psql', [server.url, '-Atc', 'select pg_database_size(current_database())'], {
      encoding: 'utf8',
    }).trim(),
  );
  console.log(
    `database ${mib(size)} built in ${seconds(performance.now() - built)}; load average ${load()}`,
  );
  const context = fixture.context();
  const bare: number[] = [];
  const step: number[] = [];
  let dumpBytes = 0;
  let backupBytes = 0;
  for (let round = 1; round <= rounds; round++) {
    const file = join(fixture.home, 'bare.dump');
    const runBare = async () => {
      bare.push(
        await time(() =>
          execFileSync('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${server.url}`]),
        ),
      );
      dumpBytes = statSync(file).size;
      rmSync(file);
    };
    const runStep = async () => {
      let bytes = 0;
      step.push(
        await time(async () => {
          const outcome = await runBackup(context, { environment: 'staging', database: 'db' });
          bytes = outcome.backup.size ?? 0;
        }),
      );
      backupBytes = bytes;
    };
    // Alternating the order spreads any drift of the machine's load over both.
    if (round % 2 === 1) {
      await runBare();
      await runStep();
    } else {
      await runStep();
      await runBare();
    }
    const b = bare.at(-1) ?? 0;
    const s = step.at(-1) ?? 0;
    console.log(
      `round ${round}: bare pg_dump ${seconds(b)}, eclusa backup ${seconds(s)} (${((s / b - 1) * 100).toFixed(1)} %), load average ${load()}`,
    );
  }
  console.log(
    `database ${mib(size)}, bare dump ${mib(dumpBytes)}, eclusa backup ${mib(backupBytes)}, ${rounds} round(s), medians:`,
  );
  console.log(`  bare pg_dump -Fc    ${seconds(median(bare))}`);
  console.log(
    `  eclusa backup step  ${seconds(median(step))}  (overhead ${((median(step) / median(bare) - 1) * 100).toFixed(1)} %)`,
  );
  console.log(
    `  per-round overhead, median: ${median(step.map((s, i) => (s / (bare[i] ?? s) - 1) * 100)).toFixed(1)} %`,
  );
  console.log(`load average at the end ${load()}`);
} finally {
  await fixture.close();
  await server.stop();
}

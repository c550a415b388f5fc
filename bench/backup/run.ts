/**
 * Overhead of eclusa's backup step over a bare `pg_dump -Fc` of the same database to a file:
 * `npm run bench:backup` (BENCH_MB: database size, default 1024; BENCH_ROUNDS: rounds,
 * default 5). Builds the database in a throwaway cluster (not timed), then interleaves bare
 * dumps and the step's own code path (runBackup: pg_dump, per-table row counts and checksums
 * in the dump's snapshot, pg_restore reading the whole dump back, SHA-256, size, records,
 * retention), alternating which goes first, and prints every round and the medians.
 *
 * Wall time on a shared machine moves with everyone else's load, so each run's CPU time is
 * printed too: this process and its children (pg_dump, pg_restore) plus the PostgreSQL
 * backends that served it, read from /proc as the children's times the parents collected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
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
const percent = (value: number, base: number) =>
  `${value >= base ? '+' : ''}${((value / base - 1) * 100).toFixed(1)} %`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** utime + stime + cutime + cstime of a process, in seconds (children once reaped). */
const cpuOf = (pid: number | 'self'): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of proc(5), counted from the state field as 3.
  return fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0) / ticks;
};
const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

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
  const dataDir = execFileSync('psql', [server.url, '-Atc', 'show data_directory'], {
    encoding: 'utf8',
  }).trim();
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  /** CPU seconds `fn` costs this process, its children and the server's backends. */
  const cpu = async (fn: () => Promise<void>): Promise<number> => {
    const before = cpuOf('self') + cpuOf(postmaster);
    await fn();
    // The postmaster collects a backend's times when it reaps it, just after it exits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return cpuOf('self') + cpuOf(postmaster) - before;
  };
  const context = fixture.context();
  const bare: number[] = [];
  const step: number[] = [];
  const bareCpu: number[] = [];
  const stepCpu: number[] = [];
  let dumpBytes = 0;
  let backupBytes = 0;
  for (let round = 1; round <= rounds; round++) {
    const file = join(fixture.home, 'bare.dump');
    const runBare = async () => {
      bareCpu.push(
        await cpu(async () => {
          bare.push(
            await time(() =>
              execFileSync('pg_dump', [
                '--format=custom',
                `--file=${file}`,
                `--dbname=${server.url}`,
              ]),
            ),
          );
        }),
      );
      dumpBytes = statSync(file).size;
      rmSync(file);
    };
    const runStep = async () => {
      stepCpu.push(
        await cpu(async () => {
          step.push(
            await time(async () => {
              const outcome = await runBackup(context, { environment: 'staging', database: 'db' });
              backupBytes = outcome.backup.size ?? 0;
            }),
          );
        }),
      );
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
    const bc = bareCpu.at(-1) ?? 0;
    const sc = stepCpu.at(-1) ?? 0;
    console.log(
      `round ${round}: bare pg_dump ${seconds(b)} (CPU ${bc.toFixed(2)} s), eclusa backup ${seconds(s)} (CPU ${sc.toFixed(2)} s): ${percent(s, b)} wall, ${percent(sc, bc)} CPU; load average ${load()}`,
    );
  }
  console.log(
    `database ${mib(size)}, bare dump ${mib(dumpBytes)}, eclusa backup ${mib(backupBytes)}, ${rounds} round(s), medians:`,
  );
  console.log(
    `  bare pg_dump -Fc    ${seconds(median(bare))}, CPU ${median(bareCpu).toFixed(2)} s`,
  );
  console.log(
    `  eclusa backup step  ${seconds(median(step))}, CPU ${median(stepCpu).toFixed(2)} s`,
  );
  console.log(
    `  overhead: wall ${percent(median(step), median(bare))} (median of rounds ${median(step.map((s, i) => (s / (bare[i] ?? s) - 1) * 100)).toFixed(1)} %), CPU ${percent(median(stepCpu), median(bareCpu))}`,
  );
  console.log(`load average at the end ${load()}`);
} finally {
  await fixture.close();
  await server.stop();
}

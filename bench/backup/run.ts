/**
 * Overhead of eclusa's backup step over a bare `pg_dump -Fc` of the same database:
 * `BENCH_MB=1024 BENCH_RUNS=3 npx tsx bench/backup/run.ts`. The step also reads row
 * counts and checksums in pg_dump's snapshot, reads the whole dump back to validate it,
 * and hashes it; each part is timed on its own too.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { postgresDatabase } from '../../src/adapters/database/postgres/postgres-database.js';
import { localDatabaseFiles } from '../../src/adapters/database/local/local-database-files.js';
import { runBackup } from '../../src/core/services/backup-service.js';
import { databaseFixture, databasePolicy } from '../../test/database/database-fixture.js';
import { execSql } from '../../test/support/postgres-app-role.js';
import { startPostgres } from '../../test/support/postgres-server.js';

const megabytes = Number(process.env['BENCH_MB'] ?? 256);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const time = async (fn: () => unknown): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

const server = await startPostgres();
if ('skip' in server) throw new Error(server.skip);
try {
  // Rows of ~300 bytes of hex: about as compressible as typical application text.
  const rows = Math.round((megabytes * 1024 * 1024) / 330);
  await execSql(
    server.url,
    `create table events as select g as id, now() - g * interval '1 second' as at,
       md5(g::text) || repeat(md5(random()::text), 8) as body from generate_series(1, ${rows}) g;
     create table users as select g as id, 'user ' || g as name from generate_series(1, 10000) g`,
  );
  const size = execFileSync(
    'psql',
    [server.url, '-Atc', 'select pg_database_size(current_database())'],
    {
      encoding: 'utf8',
    },
  ).trim();
  const fixture = await databaseFixture(databasePolicy(), { APP_DATABASE_URL: server.url });
  const context = fixture.context();
  const database = postgresDatabase(server.url);
  const files = localDatabaseFiles();
  const bare: number[] = [];
  const step: number[] = [];
  const stages = { dumpAndStats: [] as number[], validate: [] as number[], digest: [] as number[] };
  let dumpBytes = 0;
  for (let i = 0; i < runs; i++) {
    const file = join(fixture.home, `bare-${i}.dump`);
    bare.push(
      await time(() =>
        execFileSync('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${server.url}`]),
      ),
    );
    dumpBytes = statSync(file).size;
    rmSync(file);
    step.push(await time(() => runBackup(context, { environment: 'staging', database: 'db' })));
    const staged = join(fixture.home, `staged-${i}.dump`);
    stages.dumpAndStats.push(await time(() => database.backup(staged)));
    stages.validate.push(await time(() => database.validate(staged)));
    stages.digest.push(await time(() => files.digest(staged)));
    rmSync(staged);
  }
  const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
  console.log(
    `database ${(Number(size) / 1024 / 1024).toFixed(0)} MiB, dump ${(dumpBytes / 1024 / 1024).toFixed(0)} MiB, ${runs} run(s), medians:`,
  );
  console.log(`  bare pg_dump -Fc          ${ms(median(bare))}`);
  console.log(
    `  eclusa backup step        ${ms(median(step))}  (+${((median(step) / median(bare) - 1) * 100).toFixed(1)} %)`,
  );
  console.log(`    pg_dump + row stats     ${ms(median(stages.dumpAndStats))}`);
  console.log(`    validate (list + read)  ${ms(median(stages.validate))}`);
  console.log(`    SHA-256 of the file     ${ms(median(stages.digest))}`);
  await fixture.close();
} finally {
  await server.stop();
}

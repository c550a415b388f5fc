import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NON_VOLATILE_FUNCTIONS,
  VOLATILE_FUNCTIONS,
} from '../../src/core/migrations/lint/default-volatility.js';
import {
  compareMigrationFiles,
  migrationFileName,
} from '../../src/core/migrations/migration-file.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { lintSql } from './lint-sql.js';

/*
 * What the linter claims about PostgreSQL, checked against a real server: which type
 * changes and defaults rewrite the table (a rewrite gives the table a new relfilenode),
 * which functions pg_proc marks VOLATILE, that CONCURRENTLY refuses a transaction, and
 * that the example migrations apply and revert under the runner's transaction convention.
 */

const started = await startPostgres();
const skip = 'skip' in started ? started.skip : undefined;
const server: PostgresServer | undefined = 'skip' in started ? undefined : started;
let client: pg.Client;

beforeAll(async () => {
  if (!server) return;
  await loadModule();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await server?.stop();
});

let tables = 0;

/** Creates a table with one column of `from`, runs `alter`, and says whether it was rewritten. */
async function rewrites(from: string, alter: (table: string) => string, zone = 'UTC') {
  const table = `claim_${++tables}`;
  await client.query(`SET TimeZone = '${zone}'`);
  await client.query(`CREATE TABLE ${table} (c ${from}, total int)`);
  await client.query(`INSERT INTO ${table} (total) VALUES (1), (2)`);
  const node = async () =>
    (
      await client.query<{ n: string }>(
        `SELECT relfilenode::text AS n FROM pg_class WHERE relname = $1`,
        [table],
      )
    ).rows[0]?.n;
  const before = await node();
  await client.query(alter(table));
  return (await node()) !== before;
}

const T = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n";

describe.skipIf(skip !== undefined)(
  `the linter's claims on a real PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it.each([
      ['varchar(20)', 'varchar(50)'],
      ['varchar(20)', 'text'],
      ['varchar', 'text'],
      ['text', 'varchar'],
      ['numeric(10,2)', 'numeric(12,2)'],
      ['numeric(10,2)', 'numeric'],
      ['varbit(8)', 'varbit(16)'],
      ['timestamp(3)', 'timestamp(6)'],
      ['cidr', 'inet'],
      ['varchar(50)', 'varchar(20)'],
      ['text', 'varchar(20)'],
      ['numeric(10,2)', 'numeric(10,4)'],
      ['integer', 'bigint'],
      ['bigint', 'integer'],
      ['char(5)', 'char(10)'],
      ['char(5)', 'text'],
      ['json', 'jsonb'],
    ])('%s → %s: column-type-rewrite fires exactly when PostgreSQL rewrites', async (from, to) => {
      const rewritten = await rewrites(from, (t) => `ALTER TABLE ${t} ALTER COLUMN c TYPE ${to}`);
      const report = lintSql({
        '001_t.up.sql': `CREATE TABLE IF NOT EXISTS t (c ${from});`,
        '002_t.up.sql': `${T}ALTER TABLE t ALTER COLUMN c TYPE ${to};`,
      });
      expect(report.findings.map((f) => f.rule)).toEqual(rewritten ? ['column-type-rewrite'] : []);
    });

    it('timestamp → timestamptz rewrites or not depending on TimeZone: the linter only warns', async () => {
      expect(
        await rewrites(
          'timestamp',
          (t) => `ALTER TABLE ${t} ALTER COLUMN c TYPE timestamptz`,
          'UTC',
        ),
      ).toBe(false);
      expect(
        await rewrites(
          'timestamp',
          (t) => `ALTER TABLE ${t} ALTER COLUMN c TYPE timestamptz`,
          'America/Sao_Paulo',
        ),
      ).toBe(true);
      const report = lintSql({
        '001_t.up.sql': 'CREATE TABLE IF NOT EXISTS t (c timestamp);',
        '002_t.up.sql': `${T}ALTER TABLE t ALTER COLUMN c TYPE timestamptz;`,
      });
      expect(report.findings.map((f) => f.rule)).toEqual(['column-type-unverified']);
    });

    it.each([
      ["text DEFAULT 'x'", false],
      ['timestamptz DEFAULT now()', false],
      ['timestamptz DEFAULT CURRENT_TIMESTAMP', false],
      ["jsonb DEFAULT '{}'::jsonb", false],
      ['float8 DEFAULT random()', true],
      ['timestamptz DEFAULT clock_timestamp()', true],
      ['uuid DEFAULT gen_random_uuid()', true],
      ['bigserial', true],
      ['bigint GENERATED ALWAYS AS IDENTITY', true],
      ['int GENERATED ALWAYS AS (total * 2) STORED', true],
    ] as const)(
      'ADD COLUMN x %s: volatile-default fires exactly when PostgreSQL rewrites',
      async (column, expected) => {
        const rewritten = await rewrites('int', (t) => `ALTER TABLE ${t} ADD COLUMN x ${column}`);
        expect(rewritten).toBe(expected);
        const report = lintSql(`${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS x ${column};`);
        expect(report.findings.map((f) => f.rule)).toEqual(rewritten ? ['volatile-default'] : []);
      },
    );

    it('pg_proc agrees with the volatile and non-volatile function lists', async () => {
      for (const extension of ['pgcrypto', 'uuid-ossp']) {
        const available = await client.query(
          'SELECT 1 FROM pg_available_extensions WHERE name = $1',
          [extension],
        );
        if (available.rowCount) await client.query(`CREATE EXTENSION IF NOT EXISTS "${extension}"`);
      }
      const names = [...VOLATILE_FUNCTIONS, ...NON_VOLATILE_FUNCTIONS];
      const rows = (
        await client.query<{ proname: string; kinds: string[] }>(
          'SELECT proname, array_agg(DISTINCT provolatile::text) AS kinds FROM pg_proc WHERE proname = ANY($1) GROUP BY proname',
          [names],
        )
      ).rows;
      const found = new Map(rows.map((row) => [row.proname, row.kinds]));
      for (const name of VOLATILE_FUNCTIONS)
        if (found.has(name)) expect(found.get(name), name).toEqual(['v']);
      for (const name of NON_VOLATILE_FUNCTIONS)
        if (found.has(name)) expect(found.get(name), name).not.toContain('v');
      // PostgreSQL 15 lacks only the newer uuidv4/uuidv7/random_normal, and the extensions' when absent.
      expect(found.size).toBeGreaterThanOrEqual(names.length - 10);
    });

    it('refuses CREATE INDEX CONCURRENTLY inside a transaction, as concurrently-in-transaction says', async () => {
      await client.query('CREATE TABLE IF NOT EXISTS cic (a int)');
      await client.query('BEGIN');
      await expect(client.query('CREATE INDEX CONCURRENTLY cic_a ON cic (a)')).rejects.toThrow(
        'CREATE INDEX CONCURRENTLY cannot run inside a transaction block',
      );
      await client.query('ROLLBACK');
    });

    describe.each(['koraos/db/migrations', 'conect360/backend/migrations'])(
      'examples/%s',
      (folder) => {
        it('applies up in order and reverts down in reverse, each file wrapped unless it says eclusa:no-transaction', async () => {
          const dir = new URL(`../../examples/${folder}/`, import.meta.url).pathname;
          const files = readdirSync(dir).map(migrationFileName).sort(compareMigrationFiles);
          const database = new pg.Client({ connectionString: await server!.createDatabase() });
          await database.connect();
          const run = async (name: string) => {
            const text = readFileSync(join(dir, name), 'utf8');
            if (!text.startsWith('-- eclusa:no-transaction')) {
              await database.query(`BEGIN;\n${text}\nCOMMIT;`);
              return;
            }
            const bytes = Buffer.from(text);
            for (const raw of parseSync(text).stmts ?? []) {
              const start = raw.stmt_location ?? 0;
              await database.query(
                bytes.subarray(start, start + (raw.stmt_len ?? bytes.length)).toString(),
              );
            }
          };
          const tables = async () =>
            (
              await database.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
              )
            ).rows[0]?.n;
          try {
            for (const file of files.filter((f) => f.role === 'up')) await run(file.name);
            expect(await tables()).toBeGreaterThan(1);
            for (const file of files.filter((f) => f.role === 'up')) await run(file.name);
            for (const file of files.filter((f) => f.role === 'down').reverse())
              await run(file.name);
            expect(await tables()).toBe(0);
          } finally {
            await database.end();
          }
        });
      },
    );
  },
);

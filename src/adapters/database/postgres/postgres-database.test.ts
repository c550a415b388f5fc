import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/database/database.js';
import {
  findPostgres,
  startPostgres,
  type PostgresServer,
} from '../../../../test/support/postgres-server.js';
import { appRole, execSql, type AppRole } from '../../../../test/support/postgres-app-role.js';
import { describeDatabaseContract } from '../database-contract.case.js';
import { postgresDatabase } from './postgres-database.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`PostgreSQL database tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  `PostgreSQL Database${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    const urls = new Map<string, string>();

    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      await server?.stop();
    });

    describeDatabaseContract('postgres', () => ({
      async fresh(): Promise<Database> {
        const url = await app.createDatabase();
        const database = postgresDatabase(url);
        urls.set(database.name, url);
        return database;
      },
      exec: (name, sql) => execSql(urls.get(name)!, sql),
      table: (name) => `public.${name}`,
      wrongPassword: (database) => ({
        database: postgresDatabase(app.withPassword(urls.get(database.name)!, 'not-the-pw-4242')),
        password: 'not-the-pw-4242',
      }),
      unreachable: () => postgresDatabase('postgres://eclusa_app:x@127.0.0.1:1/nowhere'),
    }));

    it('hashes rows by type where every column type can be hashed, and by text where one cannot', async () => {
      const url = await app.createDatabase();
      await execSql(
        url,
        `create table typed (id int primary key, at timestamptz, amount numeric(8,2), tags text[], doc jsonb);
         insert into typed values (1, '2026-01-01', 1.50, '{a,b}', '{"k": 1}'), (2, null, -0.01, '{}', 'null');
         create table loose (id int primary key, doc json, spot point);
         insert into loose values (1, '{"k": 1}', '(1,2)'), (2, '[]', null);`,
      );
      const database = postgresDatabase(url);
      const dir = mkdtempSync(join(tmpdir(), 'eclusa-row-hash-'));
      try {
        const file = join(dir, 'typed.dump');
        const dump = await database.backup(file);
        const by = new Map(dump.tables?.map((t) => [t.table, t.checksum]));
        expect(by.get('public.typed')).toMatch(/^rh1:-?\d+$/);
        // json and point have no hash function: md5 of the row text instead.
        expect(by.get('public.loose')).toMatch(/^-?\d+$/);
        const copy = 'eclusa_row_hash_copy';
        await database.createDatabase(copy);
        try {
          await database.restore(file, copy);
          expect(await database.tableStats(copy, dump.tables)).toEqual(dump.tables);
          await execSql(
            url.replace(/\/[^/]+$/, `/${copy}`),
            "update typed set amount = 1.51 where id = 1; update loose set spot = '(1,3)' where id = 1",
          );
          const changed = await database.tableStats(copy, dump.tables);
          for (const table of ['public.typed', 'public.loose'])
            expect(changed.find((t) => t.table === table)?.checksum).not.toBe(by.get(table));
        } finally {
          await database.dropDatabase(copy);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reads row counts in the snapshot pg_dump dumps, even when rows commit meanwhile', async () => {
      const url = await app.createDatabase();
      await execSql(
        url,
        `create table accounts (id int primary key);
       create table ledger (id int primary key);
       insert into accounts select generate_series(1, 10);
       insert into ledger select generate_series(1, 10);`,
      );
      const database = postgresDatabase(url);
      const dir = mkdtempSync(join(tmpdir(), 'eclusa-snapshot-'));
      // A writer locks the first table the backup reads and adds rows to the last one.
      const writer = new pg.Client({ connectionString: url });
      await writer.connect();
      await writer.query('begin');
      await writer.query('lock table accounts in access exclusive mode');
      await writer.query('insert into ledger select generate_series(11, 15)');
      try {
        const file = join(dir, 'snapshot.dump');
        const backup = database.backup(file);
        await waitForLockWaiters(url, 2);
        // Committed after the snapshot was exported, before the backup read `ledger`:
        // neither the dump nor the counts may see these five rows.
        await writer.query('commit');
        const dump = await backup;
        expect(dump.tables?.find((t) => t.table === 'public.ledger')?.rows).toBe(10);
        const copy = 'eclusa_snapshot_copy';
        await database.createDatabase(copy);
        try {
          await database.restore(file, copy);
          expect(await database.tableStats(copy)).toEqual(dump.tables);
        } finally {
          await database.dropDatabase(copy);
        }
        expect((await database.tableStats()).find((t) => t.table === 'public.ledger')?.rows).toBe(
          15,
        );
      } finally {
        await writer.end();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

/** Waits (bounded) until `count` sessions wait on a lock: the backup's reader and pg_dump. */
async function waitForLockWaiters(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
      );
      if (Number(rows[0]?.n) >= count) return;
      if (Date.now() > deadline) throw new Error(`never saw ${count} sessions waiting on a lock`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

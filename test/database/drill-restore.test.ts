import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase } from '../../src/adapters/database/postgres/postgres-database.js';
import { runBackup } from '../../src/core/services/backup-service.js';
import { runDrill } from '../../src/core/services/drill-service.js';
import { gatesFor } from '../../src/core/services/gates-service.js';
import { approveRestore, restoreDatabase } from '../../src/core/services/restore-service.js';
import { APP_PASSWORD, appRole, execSql, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { databaseFixture, databasePolicy, type DatabaseFixture } from './database-fixture.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`drill and restore tests skipped: ${skip}`);

const SEED = `
create table customers (id serial primary key, name text not null);
insert into customers (name) select 'customer ' || g from generate_series(1, 40) g;
create table orders (id serial primary key, customer_id int references customers(id), total numeric(10,2));
insert into orders (customer_id, total) select 1 + (g % 40), g * 2.5 from generate_series(1, 120) g;
`;

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe.skipIf(skip !== undefined)(
  `restore drills and restores${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    const fixtures: DatabaseFixture[] = [];

    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      for (const fixture of fixtures) await fixture.close();
      await server?.stop();
    });

    async function seeded(policy = databasePolicy()) {
      const url = await app.createDatabase();
      await execSql(url, SEED);
      const fixture = await databaseFixture(policy, { APP_DATABASE_URL: url });
      fixtures.push(fixture);
      await fixture.store.write((w) =>
        w.insertRelease({
          version: '1.0.0',
          commit: 'c0ffee1',
          owner: 'olga',
          createdBy: 'olga',
          createdAt: fixture.clock.now().toISOString(),
          artifacts: [],
          contentDigest: 'sha256:x',
        }),
      );
      return { fixture, url };
    }

    const scratchDatabases = async (): Promise<string[]> => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>(
          "select datname from pg_database where datname like 'eclusa\\_drill%'",
        );
        return rows.map((row) => row.datname);
      } finally {
        await client.end();
      }
    };

    const gate = async (fixture: DatabaseFixture, name: string) =>
      (
        await gatesFor(fixture.context(), { release: '1.0.0', environment: 'production' })
      ).gates.find((g) => g.name === name);

    describe('drills', () => {
      it('restores the newest backup into a scratch database, compares every table, records RTO and RPO', async () => {
        const { fixture } = await seeded();
        const context = fixture.context();
        expect(await gate(fixture, 'restore-drill')).toMatchObject({ status: 'pending' });
        const { backup } = await runBackup(context, { environment: 'production', database: 'db' });
        fixture.clock.advance(30 * 60_000);
        const drill = await runDrill(context, { environment: 'production', database: 'db' });
        expect(drill).toMatchObject({
          status: 'passed',
          backupId: backup.id,
          rpoMs: 30 * 60_000,
          tablesCompared: 2,
          mismatches: [],
          scratchDropped: true,
        });
        expect(drill.rtoMs).toBeGreaterThanOrEqual(0);
        expect(drill.error).toBeUndefined();
        expect(await scratchDatabases()).toEqual([]);
        expect(await fixture.store.read((r) => r.listDrills())).toEqual([drill]);
        expect((await fixture.auditBodies()).join('\n')).toContain('database.drill.passed');
        expect(await gate(fixture, 'restore-drill')).toMatchObject({ status: 'pass' });
        fixture.clock.advance(8 * 24 * 60 * 60_000);
        expect(await gate(fixture, 'restore-drill')).toMatchObject({ status: 'fail' });
      });

      it('fails, naming the table, when the restored rows differ from the backup’s baseline', async () => {
        const { fixture } = await seeded();
        const context = fixture.context();
        const { backup } = await runBackup(context, { environment: 'production', database: 'db' });
        // A backup whose recorded baseline disagrees with its file: what a dump that lost
        // rows would look like.
        const lying = {
          ...backup,
          id: 'bkp_lying',
          tables: backup.tables?.map((t) =>
            t.table === 'public.orders' ? { ...t, rows: t.rows + 1 } : t,
          ),
        };
        await context.store.write((w) => w.insertBackup(lying));
        const drill = await runDrill(context, {
          environment: 'production',
          database: 'db',
          backupId: 'bkp_lying',
        });
        expect(drill.status).toBe('failed');
        expect(drill.mismatches).toEqual([
          {
            table: 'public.orders',
            expected: { rows: 121, checksum: expect.any(String) as string },
            actual: { rows: 120, checksum: expect.any(String) as string },
          },
        ]);
        expect(drill.scratchDropped).toBe(true);
        expect(await scratchDatabases()).toEqual([]);
        expect(await gate(fixture, 'restore-drill')).toMatchObject({
          status: 'fail',
          reason: expect.stringContaining('public.orders') as string,
        });
      });

      it('passes for a backup taken while writers change every table: the checksums are the dump’s own data', async () => {
        const { fixture, url } = await seeded();
        // Enough rows that the dump and the checksums take a while, with writers busy throughout.
        await execSql(
          url,
          `create table events (id bigserial primary key, body text not null);
           insert into events (body) select md5(g::text) from generate_series(1, 200000) g;`,
        );
        const context = fixture.context();
        const writer = new pg.Client({ connectionString: url });
        await writer.connect();
        let writing = true;
        let commits = 0;
        const writes = (async () => {
          for (let i = 1; writing; i++) {
            await writer.query(
              `insert into customers (name) values ('late ${i}');
               update orders set total = total + 1 where id = ${1 + (i % 120)};
               insert into events (body) values ('late ${i}');
               delete from events where id = ${i}`,
            );
            commits++;
          }
        })();
        let backup;
        try {
          const before = commits;
          backup = (await runBackup(context, { environment: 'production', database: 'db' })).backup;
          expect(commits - before).toBeGreaterThan(0);
        } finally {
          writing = false;
          await writes;
          await writer.end();
        }
        expect(backup.tables?.every((t) => t.checksum.startsWith('rh1:'))).toBe(true);
        const drill = await runDrill(context, { environment: 'production', database: 'db' });
        expect(drill).toMatchObject({ status: 'passed', tablesCompared: 3, mismatches: [] });
        // The source moved on; the baseline is the backup's moment, not now.
        const now = await postgresDatabase(url).tableStats();
        expect(now).not.toEqual(backup.tables);
      });

      it('fails when only a checksum differs, and compares checksums recorded as md5 of row text the same way', async () => {
        const { fixture, url } = await seeded();
        const context = fixture.context();
        const { backup } = await runBackup(context, { environment: 'production', database: 'db' });
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        // What eclusa recorded before row hashes: md5 of each row's text, summed.
        const md5Of = async (table: string): Promise<string> => {
          const { rows } = await client.query<{ checksum: string }>(
            `select coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text as checksum from ${table} t`,
          );
          return rows[0]?.checksum ?? '';
        };
        const legacy = [];
        try {
          for (const t of backup.tables ?? [])
            legacy.push({ ...t, checksum: await md5Of(t.table) });
        } finally {
          await client.end();
        }
        const variants = {
          bkp_legacy: legacy,
          bkp_legacy_changed: legacy.map((t) =>
            t.table === 'public.customers' ? { ...t, checksum: `${t.checksum}1` } : t,
          ),
          bkp_changed: backup.tables?.map((t) =>
            t.table === 'public.customers' ? { ...t, checksum: `${t.checksum}1` } : t,
          ),
        };
        for (const [id, tables] of Object.entries(variants))
          await context.store.write((w) => w.insertBackup({ ...backup, id, tables }));
        const drill = (backupId: string) =>
          runDrill(context, { environment: 'production', database: 'db', backupId });
        expect(await drill('bkp_legacy')).toMatchObject({ status: 'passed', mismatches: [] });
        for (const id of ['bkp_legacy_changed', 'bkp_changed'])
          expect(await drill(id)).toMatchObject({
            status: 'failed',
            mismatches: [
              {
                table: 'public.customers',
                expected: { rows: 40 },
                actual: { rows: 40 },
              },
            ],
          });
      });

      it('fails without restoring when the backup file changed since it was taken', async () => {
        const { fixture } = await seeded();
        const context = fixture.context();
        const { backup } = await runBackup(context, { environment: 'production', database: 'db' });
        const fd = openSync(backup.file ?? '', 'r+');
        writeSync(fd, Buffer.from('X'), 0, 1, 100);
        closeSync(fd);
        const drill = await runDrill(context, { environment: 'production', database: 'db' });
        expect(drill).toMatchObject({ status: 'failed', scratchDropped: true });
        expect(drill.rtoMs).toBeUndefined();
        expect(drill.error).toContain('changed since it was taken');
      });

      it('drops the scratch database when the restore itself fails', async () => {
        const { fixture, url } = await seeded();
        const context = fixture.context();
        // A table in a tablespace that is gone by the time of the drill: pg_restore fails.
        const location = mkdtempSync(join(tmpdir(), 'eclusa-tablespace-'));
        if (process.getuid?.() === 0) {
          const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
          chownSync(location, uid, uid);
        }
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        try {
          await admin.query(`create tablespace eclusa_gone location '${location}'`);
          await admin.query('grant create on tablespace eclusa_gone to eclusa_app');
          await execSql(
            url,
            'create table archived (id int) tablespace eclusa_gone; insert into archived values (1)',
          );
          await runBackup(context, { environment: 'production', database: 'db' });
          await execSql(url, 'drop table archived');
          await admin.query('drop tablespace eclusa_gone');
        } finally {
          await admin.end();
          rmSync(location, { recursive: true, force: true });
        }
        const drill = await runDrill(context, { environment: 'production', database: 'db' });
        expect(drill).toMatchObject({ status: 'failed', scratchDropped: true });
        expect(drill.error).toMatch(/eclusa_gone/);
        expect(await scratchDatabases()).toEqual([]);
      });

      it('fails clearly when the role may not create the scratch database', async () => {
        const { fixture } = await seeded();
        const context = fixture.context();
        await runBackup(context, { environment: 'production', database: 'db' });
        await execSql(server.url, 'alter role eclusa_app nocreatedb');
        try {
          const drill = await runDrill(context, { environment: 'production', database: 'db' });
          expect(drill).toMatchObject({ status: 'failed', scratchDropped: true });
          expect(drill.error).toMatch(/lacks a privilege .*permission denied to create database/);
        } finally {
          await execSql(server.url, 'alter role eclusa_app createdb');
        }
      });

      it('refuses a drill with no backup to drill', async () => {
        const { fixture } = await seeded();
        await expect(
          runDrill(fixture.context(), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'NO_BACKUP', kind: 'invalid-input' });
      });
    });

    describe('restoring production', () => {
      it('is refused without an approval by the DBA role, and changes nothing', async () => {
        const { fixture, url } = await seeded();
        await runBackup(fixture.context(), { environment: 'production', database: 'db' });
        await execSql(url, 'delete from orders where id > 100');
        await expect(
          restoreDatabase(fixture.context('otto'), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'RESTORE_NOT_APPROVED', kind: 'refused' });
        expect(await count(url, 'orders')).toBe(100);
        expect(await fixture.store.read((r) => r.listBackups())).toHaveLength(1);
      });

      it('refuses approvals from outside the role, self-approval and expired approvals', async () => {
        const { fixture } = await seeded();
        await runBackup(fixture.context(), { environment: 'production', database: 'db' });
        const input = { environment: 'production', database: 'db', reason: 'orders corrupted' };
        await expect(approveRestore(fixture.context('otto'), input)).rejects.toMatchObject({
          code: 'NOT_IN_ROLE',
        });
        await approveRestore(fixture.context('dora'), input);
        await expect(
          restoreDatabase(fixture.context('dora'), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'SELF_APPROVAL', kind: 'refused' });
        fixture.clock.advance(61 * 60_000);
        await expect(
          restoreDatabase(fixture.context('otto'), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'RESTORE_NOT_APPROVED' });
        await expect(
          approveRestore(fixture.context('dora'), { ...input, role: 'ops' }),
        ).rejects.toMatchObject({ code: 'RESTORE_ROLE_MISMATCH' });
      });

      it('with a DBA’s approval: backs up the current state first, restores, and uses the approval up', async () => {
        const { fixture, url } = await seeded();
        const { backup } = await runBackup(fixture.context(), {
          environment: 'production',
          database: 'db',
        });
        await execSql(url, "delete from orders where id > 100; update customers set name = 'oops'");
        fixture.clock.advance(5 * 60_000);
        const approval = await approveRestore(fixture.context('dora'), {
          environment: 'production',
          database: 'db',
          reason: 'orders corrupted by 2.3.0 (INC-42)',
        });
        const restore = await restoreDatabase(fixture.context('otto'), {
          environment: 'production',
          database: 'db',
        });
        expect(restore).toMatchObject({
          status: 'succeeded',
          backupId: backup.id,
          approvalId: approval.id,
          approvedBy: 'dora',
          createdBy: 'otto',
        });
        expect(await count(url, 'orders')).toBe(120);
        expect(await count(url, "customers where name = 'oops'")).toBe(0);
        const safety = await fixture.store.read((r) => r.getBackup(restore.safetyBackupId ?? ''));
        expect(safety).toMatchObject({
          status: 'verified',
          reason: `state before restoring ${backup.id}`,
        });
        expect(safety?.tables?.find((t) => t.table === 'public.orders')?.rows).toBe(100);
        expect((await fixture.store.read((r) => r.listRestoreApprovals()))[0]).toMatchObject({
          usedBy: restore.id,
        });
        await expect(
          restoreDatabase(fixture.context('otto'), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'RESTORE_NOT_APPROVED' });
        const audit = (await fixture.auditBodies()).join('\n');
        for (const kind of [
          'database.restore.approved',
          'database.restore.started',
          'database.restore.succeeded',
        ])
          expect(audit).toContain(kind);
        expect(audit).not.toContain(APP_PASSWORD);
      });

      it('without a restore-database action, needs --role and a member of that role', async () => {
        const { fixture } = await seeded(
          databasePolicy().replace(
            / {4}rollback:\n {6}actions:\n {8}- \{ kind: restore-database.*\n/,
            '',
          ),
        );
        await runBackup(fixture.context(), { environment: 'production', database: 'db' });
        const input = { environment: 'production', database: 'db', reason: 'bad data' };
        await expect(approveRestore(fixture.context('dora'), input)).rejects.toMatchObject({
          code: 'NO_RESTORE_ROLE',
          kind: 'invalid-input',
        });
        await approveRestore(fixture.context('dora'), { ...input, role: 'dba' });
        await expect(
          restoreDatabase(fixture.context('otto'), {
            environment: 'production',
            database: 'db',
            role: 'ops',
          }),
        ).rejects.toMatchObject({ code: 'RESTORE_NOT_APPROVED' });
        const restore = await restoreDatabase(fixture.context('otto'), {
          environment: 'production',
          database: 'db',
          role: 'dba',
        });
        expect(restore.status).toBe('succeeded');
      });
    });
  },
);

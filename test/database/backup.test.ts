import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/services/backup-service.js';
import { gatesFor } from '../../src/core/services/gates-service.js';
import { APP_PASSWORD, appRole, execSql, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import {
  databaseFixture,
  databasePolicy,
  failureOf,
  type DatabaseFixture,
} from './database-fixture.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`backup tests skipped: ${skip}`);

const SEED = `
create table customers (id serial primary key, name text not null);
insert into customers (name) select 'customer ' || g from generate_series(1, 50) g;
create table orders (id bigint generated always as identity primary key, customer_id int references customers(id), total numeric(10,2));
insert into orders (customer_id, total) select 1 + (g % 50), g * 1.5 from generate_series(1, 200) g;
`;

const asRoot = process.getuid?.() === 0;

describe.skipIf(skip !== undefined)(
  `backups against PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`,
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

    async function seeded(policy = databasePolicy(), env: Record<string, string> = {}) {
      const url = await app.createDatabase();
      await execSql(url, SEED);
      const fixture = await databaseFixture(policy, { APP_DATABASE_URL: url, ...env });
      fixtures.push(fixture);
      return { fixture, url };
    }

    const backupsIn = (fixture: DatabaseFixture) =>
      fixture.store.read((reader) => reader.listBackups());

    it('dumps, verifies and records file, size, SHA-256, duration, versions and row counts', async () => {
      const { fixture } = await seeded();
      const { backup, reused } = await runBackup(fixture.context(), {
        environment: 'production',
        database: 'db',
        reason: 'before 2.3.0',
      });
      expect(reused).toBe(false);
      expect(backup).toMatchObject({
        status: 'verified',
        environment: 'production',
        database: 'db',
        engine: 'postgres',
        reason: 'before 2.3.0',
        serverVersion: expect.stringMatching(/^\d+\.\d+/) as string,
        toolVersion: expect.stringMatching(/^pg_dump \(PostgreSQL\) \d+/) as string,
        createdBy: 'ana',
      });
      const file = backup.file ?? '';
      expect(file.startsWith(join(fixture.home, 'backups'))).toBe(true);
      const bytes = readFileSync(file);
      expect(backup.size).toBe(bytes.length);
      expect(backup.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(backup.entries).toBeGreaterThan(5);
      expect(backup.tables).toEqual([
        { table: 'public.customers', rows: 50, checksum: expect.any(String) as string },
        { table: 'public.orders', rows: 200, checksum: expect.any(String) as string },
      ]);
      expect(
        readdirSync(join(fixture.home, 'backups')).filter((f) => f.endsWith('.partial')),
      ).toEqual([]);
      expect(await backupsIn(fixture)).toEqual([backup]);
      const audit = (await fixture.auditBodies()).join('\n');
      expect(audit).toContain('database.backup.verified');
      expect(audit).not.toContain(APP_PASSWORD);
      expect(JSON.stringify(backup)).not.toContain(APP_PASSWORD);
    });

    it('keeps the newest `retention` backups, deleting older files and marking them pruned', async () => {
      const { fixture } = await seeded();
      const context = fixture.context();
      const taken = [];
      for (let i = 0; i < 3; i++) {
        taken.push(
          (await runBackup(context, { environment: 'production', database: 'db' })).backup,
        );
        fixture.clock.advance(60_000);
      }
      const [first, second, third] = taken;
      expect(existsSync(first?.file ?? '')).toBe(false);
      expect(existsSync(second?.file ?? '')).toBe(true);
      expect(existsSync(third?.file ?? '')).toBe(true);
      const records = await backupsIn(fixture);
      expect(records.map((r) => [r.id, r.prunedAt !== undefined])).toEqual([
        [first?.id, true],
        [second?.id, false],
        [third?.id, false],
      ]);
      expect(
        (await fixture.auditBodies()).filter((b) => b.includes('database.backup.pruned')),
      ).toHaveLength(1);
      // Another environment keeps its own backups.
      await runBackup(context, { environment: 'staging', database: 'db' });
      expect((await backupsIn(fixture)).filter((r) => r.prunedAt !== undefined)).toHaveLength(1);
    });

    it('reuses the verified backup a deployment already took (a re-run after a crash does nothing)', async () => {
      const { fixture } = await seeded();
      const context = fixture.context();
      const input = { environment: 'production', database: 'db', deploymentId: 'dep_1' };
      const first = await runBackup(context, input);
      const again = await runBackup(context, input);
      expect(again).toMatchObject({ reused: true, backup: first.backup });
      expect(await backupsIn(fixture)).toHaveLength(1);
      // A deployment whose backup file went missing takes a new one.
      rmSync(first.backup.file ?? '');
      const replaced = await runBackup(context, input);
      expect(replaced.reused).toBe(false);
      expect(replaced.backup.id).not.toBe(first.backup.id);
    });

    it('turns a verified backup into a passing gate until it is older than maxAge', async () => {
      const { fixture } = await seeded();
      const context = fixture.context();
      await context.store.write((w) =>
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
      const gate = async () =>
        (await gatesFor(context, { release: '1.0.0', environment: 'production' })).gates.find(
          (g) => g.name === 'backup',
        );
      expect(await gate()).toMatchObject({ status: 'pending' });
      await runBackup(context, { environment: 'production', database: 'db' });
      expect(await gate()).toMatchObject({ status: 'pass' });
      fixture.clock.advance(61 * 60_000);
      expect(await gate()).toMatchObject({
        status: 'fail',
        reason: expect.stringContaining('1h1m') as string,
      });
    });

    describe('faults: nothing usable is kept and nothing is recorded as valid', () => {
      async function expectFailed(fixture: DatabaseFixture, code: string, dir: string) {
        const records = await backupsIn(fixture);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({ status: 'failed', error: expect.any(String) as string });
        expect(records[0]?.file).toBeUndefined();
        expect(JSON.stringify(records)).not.toContain(APP_PASSWORD);
        if (existsSync(dir)) expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
        const audit = (await fixture.auditBodies()).join('\n');
        expect(audit).toContain('database.backup.failed');
        expect(audit).toContain(code);
        expect(audit).not.toContain(APP_PASSWORD);
      }

      it('a wrong password', async () => {
        const { fixture, url } = await seeded();
        fixture.env['APP_DATABASE_URL'] = app.withPassword(url, 'wrong-pw-123');
        const error = await failureOf(
          runBackup(fixture.context(), { environment: 'production', database: 'db' }),
        );
        expect(error).toMatchObject({ code: 'DATABASE_AUTH_FAILED', kind: 'failed' });
        expect(error.message).not.toContain('wrong-pw-123');
        await expectFailed(fixture, 'DATABASE_AUTH_FAILED', join(fixture.home, 'backups'));
        expect((await fixture.auditBodies()).join('\n')).not.toContain('wrong-pw-123');
      });

      it('an unreachable server (retryable)', async () => {
        const { fixture } = await seeded();
        fixture.env['APP_DATABASE_URL'] =
          `postgres://eclusa_app:${APP_PASSWORD}@127.0.0.1:1/nowhere`;
        await expect(
          runBackup(fixture.context(), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE', retryable: true });
        await expectFailed(fixture, 'DATABASE_UNREACHABLE', join(fixture.home, 'backups'));
      });

      it('pg_dump killed mid-way', async () => {
        const { fixture, url } = await seeded();
        // Another session holds a lock pg_dump must wait for, so it is surely mid-way when killed.
        const blocker = new pg.Client({ connectionString: url });
        await blocker.connect();
        await blocker.query('begin; lock table orders in access exclusive mode');
        const backup = runBackup(fixture.context(), { environment: 'production', database: 'db' });
        const failure = failureOf(backup);
        try {
          const pid = await childPgDump();
          process.kill(pid, 'SIGKILL');
          expect(await failure).toMatchObject({
            code: 'PG_DUMP_FAILED',
            message: expect.stringContaining('SIGKILL') as string,
          });
        } finally {
          await blocker.query('rollback');
          await blocker.end();
        }
        await expectFailed(fixture, 'PG_DUMP_FAILED', join(fixture.home, 'backups'));
      });

      it('a backup folder that cannot be written', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'eclusa-readonly-'));
        const readOnly = makeReadOnly(dir);
        try {
          const { fixture } = await seeded(
            databasePolicy().replace(
              'backup: { retention: 2 }',
              `backup: { retention: 2, dir: ${dir} }`,
            ),
          );
          await expect(
            runBackup(fixture.context(), { environment: 'production', database: 'db' }),
          ).rejects.toMatchObject({ code: 'BACKUP_DIR_NOT_WRITABLE', kind: 'failed' });
          await expectFailed(fixture, 'BACKUP_DIR_NOT_WRITABLE', dir);
        } finally {
          readOnly.undo();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it.skipIf(!asRoot)(
        `a disk that fills up during the dump${asRoot ? '' : ' (skipped: mounting a small tmpfs needs root)'}`,
        async () => {
          const dir = mkdtempSync(join(tmpdir(), 'eclusa-full-'));
          execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', dir]);
          try {
            const { fixture, url } = await seeded(
              databasePolicy().replace(
                'backup: { retention: 2 }',
                `backup: { retention: 2, dir: ${dir} }`,
              ),
            );
            // Hex of random bytes compresses to about half: ~1 MB of it cannot fit in 96 KiB.
            await execSql(
              url,
              "create table blobs as select g as id, string_agg(md5(random()::text), '') as body from generate_series(1, 400) g, generate_series(1, 80) h group by g",
            );
            await expect(
              runBackup(fixture.context(), { environment: 'production', database: 'db' }),
            ).rejects.toMatchObject({ code: 'BACKUP_DISK_FULL', kind: 'failed' });
            await expectFailed(fixture, 'BACKUP_DISK_FULL', dir);
          } finally {
            execFileSync('umount', [dir]);
            rmSync(dir, { recursive: true, force: true });
          }
        },
      );

      it('a pg_dump older than the server, refused before dumping', async () => {
        const bin = mkdtempSync(join(tmpdir(), 'eclusa-old-pg-'));
        // A stand-in that only answers --version like an old client would.
        writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 12.19"\n');
        chmodSync(join(bin, 'pg_dump'), 0o755);
        try {
          const { fixture } = await seeded(databasePolicy(), { ECLUSA_PG_BIN: bin });
          const error = await failureOf(
            runBackup(fixture.context(), { environment: 'production', database: 'db' }),
          );
          expect(error).toMatchObject({ code: 'PG_DUMP_TOO_OLD' });
          expect(error.message).toMatch(/version 12 but the server runs PostgreSQL 1\d/);
          expect(error.hint).toContain('ECLUSA_PG_BIN');
          await expectFailed(fixture, 'PG_DUMP_TOO_OLD', join(fixture.home, 'backups'));
        } finally {
          rmSync(bin, { recursive: true, force: true });
        }
      });

      it('a pg_dump that exits 0 with its output cut short: the read-back refuses it', async () => {
        const bin = mkdtempSync(join(tmpdir(), 'eclusa-short-pg-'));
        const real = (tool: string) =>
          execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
        // A stand-in that passes on the real pg_dump's output but its last 100 bytes, which
        // lie in the last table's data: its table of contents is whole, so `pg_restore
        // --list` alone would accept the file.
        writeFileSync(
          join(bin, 'pg_dump'),
          `#!/bin/sh\nif [ "$1" = --version ]; then exec ${real('pg_dump')} --version; fi\n${real('pg_dump')} "$@" > "${bin}/whole"\nhead -c $(( $(wc -c < "${bin}/whole") - 100 )) "${bin}/whole"\n`,
        );
        chmodSync(join(bin, 'pg_dump'), 0o755);
        writeFileSync(join(bin, 'pg_restore'), `#!/bin/sh\nexec ${real('pg_restore')} "$@"\n`);
        chmodSync(join(bin, 'pg_restore'), 0o755);
        try {
          const { fixture } = await seeded(databasePolicy(), { ECLUSA_PG_BIN: bin });
          await expect(
            runBackup(fixture.context(), { environment: 'production', database: 'db' }),
          ).rejects.toMatchObject({ code: 'DUMP_INVALID', kind: 'failed' });
          await expectFailed(fixture, 'DUMP_INVALID', join(fixture.home, 'backups'));
        } finally {
          rmSync(bin, { recursive: true, force: true });
        }
      });

      it('pg_dump missing', async () => {
        const bin = mkdtempSync(join(tmpdir(), 'eclusa-no-pg-'));
        try {
          const { fixture } = await seeded(databasePolicy(), { ECLUSA_PG_BIN: bin });
          await expect(
            runBackup(fixture.context(), { environment: 'production', database: 'db' }),
          ).rejects.toMatchObject({
            code: 'DATABASE_TOOL_MISSING',
            hint: expect.stringContaining('apt-get install postgresql-client') as string,
          });
          await expectFailed(fixture, 'DATABASE_TOOL_MISSING', join(fixture.home, 'backups'));
        } finally {
          rmSync(bin, { recursive: true, force: true });
        }
      });

      it('a connection secret that is not set: invalid input, nothing recorded', async () => {
        const { fixture } = await seeded();
        delete fixture.env['APP_DATABASE_URL'];
        await expect(
          runBackup(fixture.context(), { environment: 'production', database: 'db' }),
        ).rejects.toMatchObject({ code: 'SECRET_MISSING', kind: 'invalid-input' });
        expect(await backupsIn(fixture)).toEqual([]);
      });
    });
  },
);

/** The pg_dump this test process started for a backup, found by parent pid. */
async function childPgDump(): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (
          ppid === process.pid &&
          cmdline.includes('--snapshot=') &&
          readlinkSync(`/proc/${entry}/exe`).includes('pg_dump')
        )
          return Number(entry);
      } catch {
        // the process ended meanwhile
      }
    }
    if (Date.now() > deadline) throw new Error('pg_dump never started');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A folder nobody can write: a read-only tmpfs as root (root ignores permissions), mode 0555 otherwise. */
function makeReadOnly(dir: string): { undo(): void } {
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=16k', 'tmpfs', dir]);
    return { undo: () => execFileSync('umount', [dir]) };
  }
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o555);
  return { undo: () => chmodSync(dir, 0o755) };
}

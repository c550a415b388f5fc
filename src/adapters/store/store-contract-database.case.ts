import { describe, expect, it } from 'vitest';
import type {
  BackupRecord,
  DriftCheckRecord,
  DrillRecord,
  MigrationRunRecord,
  RestoreApprovalRecord,
  RestoreRecord,
} from '../../core/store/database-records.js';
import { at, type StoreContractContext } from './store-contract-fixtures.js';

function backup(id: string, overrides: Partial<BackupRecord> = {}): BackupRecord {
  return {
    id,
    environment: 'production',
    database: 'db',
    engine: 'postgres',
    status: 'verified',
    file: `/var/backups/db-${id}.dump`,
    size: 4096,
    sha256: 'c'.repeat(64),
    serverVersion: '15.18',
    toolVersion: 'pg_dump (PostgreSQL) 15.18',
    entries: 12,
    tables: [{ table: 'public.users', rows: 3, checksum: '-12345' }],
    createdBy: 'ana',
    startedAt: at(0),
    finishedAt: at(1),
    durationMs: 60_000,
    ...overrides,
  };
}

const drill = (id: string, overrides: Partial<DrillRecord> = {}): DrillRecord => ({
  id,
  environment: 'staging',
  database: 'db',
  backupId: 'bkp_1',
  status: 'failed',
  scratchDatabase: 'eclusa_drill_db_1',
  scratchDropped: true,
  rtoMs: 1200,
  rpoMs: 300_000,
  tablesCompared: 2,
  mismatches: [
    {
      table: 'public.users',
      expected: { rows: 3, checksum: '1' },
      actual: { rows: 2, checksum: '2' },
    },
    { table: 'public.gone', expected: { rows: 0, checksum: '0' } },
  ],
  createdBy: 'ana',
  startedAt: at(5),
  finishedAt: at(6),
  ...overrides,
});

const approval = (id: string, overrides: Partial<RestoreApprovalRecord> = {}) =>
  ({
    id,
    environment: 'production',
    database: 'db',
    role: 'dba',
    approvedBy: 'dora',
    reason: 'orders corrupted by 2.3.0',
    createdAt: at(0),
    expiresAt: at(60),
    ...overrides,
  }) satisfies RestoreApprovalRecord;

/** Backups, drills, restores, migration runs and drift checks: round-trips, filters, set-once fields. */
export function describeDatabaseCases(ctx: StoreContractContext): void {
  describe('database records', () => {
    it('round-trips backups, filters them and lists them oldest first', async () => {
      const store = await ctx.fresh();
      const full = backup('b1', {
        deploymentId: 'dep_1',
        reason: 'before migrate',
        startedAt: at(2),
      });
      const failed: BackupRecord = {
        id: 'b2',
        environment: 'production',
        database: 'db',
        engine: 'mysql',
        status: 'failed',
        error: 'mysqldump: Got error: 1045: Access denied',
        createdBy: 'ana',
        startedAt: at(1),
        finishedAt: at(1),
        durationMs: 40,
      };
      const staging = backup('b3', { environment: 'staging', baselineNote: 'changed during dump' });
      await store.write(async (w) => {
        for (const record of [full, failed, staging]) await w.insertBackup(record);
      });
      await store.read(async (r) => {
        expect(await r.getBackup('b1')).toStrictEqual(full);
        expect(await r.getBackup('b2')).toStrictEqual(failed);
        expect(await r.getBackup('nope')).toBeUndefined();
        expect(await r.listBackups({ environment: 'production' })).toStrictEqual([failed, full]);
        expect(await r.listBackups({ deploymentId: 'dep_1' })).toStrictEqual([full]);
        expect(await r.listBackups({ database: 'other' })).toEqual([]);
        expect((await r.listBackups()).map((b) => b.id)).toEqual(['b3', 'b2', 'b1']);
      });
    });

    it('prunes a backup once; a second pruning or an unknown id is refused', async () => {
      const store = await ctx.fresh();
      await store.write((w) => w.insertBackup(backup('b1')));
      await store.write((w) => w.markBackupPruned('b1', at(9)));
      expect(await store.read((r) => r.getBackup('b1'))).toStrictEqual(
        backup('b1', { prunedAt: at(9) }),
      );
      expect(await store.read((r) => r.listBackups())).toStrictEqual([
        backup('b1', { prunedAt: at(9) }),
      ]);
      await expect(store.write((w) => w.markBackupPruned('b1', at(10)))).rejects.toMatchObject({
        code: 'BACKUP_ALREADY_PRUNED',
      });
      await expect(store.write((w) => w.markBackupPruned('b9', at(10)))).rejects.toMatchObject({
        code: 'BACKUP_NOT_FOUND',
      });
    });

    it('round-trips drills and restores with their optional fields', async () => {
      const store = await ctx.fresh();
      const failed = drill('d1');
      const { rtoMs: _rto, ...withoutRto } = drill('d2', {
        status: 'passed',
        mismatches: [],
        error: 'x',
      });
      const restore: RestoreRecord = {
        id: 'r1',
        environment: 'production',
        database: 'db',
        backupId: 'b1',
        safetyBackupId: 'b2',
        approvalId: 'ra1',
        approvedBy: 'dora',
        status: 'succeeded',
        deploymentId: 'dep_1',
        durationMs: 800,
        createdBy: 'otto',
        startedAt: at(3),
        finishedAt: at(4),
      };
      await store.write(async (w) => {
        await w.insertDrill(failed);
        await w.insertDrill(withoutRto);
        await w.insertRestore(restore);
      });
      await store.read(async (r) => {
        expect(await r.listDrills({ environment: 'staging', database: 'db' })).toStrictEqual([
          failed,
          withoutRto,
        ]);
        expect(await r.listDrills({ environment: 'production' })).toEqual([]);
        expect(await r.listRestores({ deploymentId: 'dep_1' })).toStrictEqual([restore]);
      });
    });

    it('uses a restore approval once', async () => {
      const store = await ctx.fresh();
      const withBackup = approval('ra1', { backupId: 'b1' });
      await store.write(async (w) => {
        await w.insertRestoreApproval(withBackup);
        await w.insertRestoreApproval(approval('ra2', { database: 'other' }));
      });
      await store.write((w) => w.useRestoreApproval('ra1', 'rst_1', at(5)));
      expect(await store.read((r) => r.listRestoreApprovals({ database: 'db' }))).toStrictEqual([
        { ...withBackup, usedAt: at(5), usedBy: 'rst_1' },
      ]);
      await expect(
        store.write((w) => w.useRestoreApproval('ra1', 'rst_2', at(6))),
      ).rejects.toMatchObject({ code: 'RESTORE_APPROVAL_ALREADY_USED' });
      await expect(
        store.write((w) => w.useRestoreApproval('ra9', 'rst_2', at(6))),
      ).rejects.toMatchObject({ code: 'RESTORE_APPROVAL_NOT_FOUND' });
    });

    it('round-trips migration runs and drift checks', async () => {
      const store = await ctx.fresh();
      const run: MigrationRunRecord = {
        id: 'm1',
        environment: 'production',
        database: 'db',
        tool: 'sql',
        direction: 'up',
        status: 'failed',
        deploymentId: 'dep_1',
        migrations: [{ version: 1, name: 'init', checksum: 'a'.repeat(64), durationMs: 12 }],
        failure: { file: '002_users.up.sql', message: 'relation "x" does not exist' },
        createdBy: 'ana',
        startedAt: at(1),
        finishedAt: at(2),
      };
      const command: MigrationRunRecord = {
        ...run,
        id: 'm2',
        tool: 'command',
        status: 'succeeded',
        migrations: [],
        output: 'INFO  [alembic] Running upgrade ✓',
        startedAt: at(0),
      };
      const { failure: _f, deploymentId: _d, ...plain } = { ...run, id: 'm3', startedAt: at(3) };
      const clean: DriftCheckRecord = {
        id: 'x1',
        environment: 'production',
        database: 'db',
        status: 'clean',
        ledgerVersion: null,
        differences: [],
        createdBy: 'ana',
        checkedAt: at(1),
      };
      const drifted: DriftCheckRecord = {
        ...clean,
        id: 'x2',
        status: 'drifted',
        ledgerVersion: 3,
        differences: [
          { object: 'index public.users_email_idx', change: 'extra', live: 'CREATE INDEX …' },
          { object: 'table public.users', change: 'changed', live: 'a', expected: 'b' },
        ],
        checkedAt: at(2),
      };
      await store.write(async (w) => {
        for (const record of [run, command, plain]) await w.insertMigrationRun(record);
        await w.insertDriftCheck(drifted);
        await w.insertDriftCheck(clean);
      });
      await store.read(async (r) => {
        expect(await r.listMigrationRuns({ environment: 'production' })).toStrictEqual([
          command,
          run,
          plain,
        ]);
        expect(await r.listMigrationRuns({ deploymentId: 'dep_1' })).toStrictEqual([command, run]);
        expect(await r.listDriftChecks({ database: 'db' })).toStrictEqual([clean, drifted]);
      });
    });

    it('keeps nothing a failed transaction wrote', async () => {
      const store = await ctx.fresh();
      await expect(
        store.write(async (w) => {
          await w.insertBackup(backup('b1'));
          await w.insertDrill(drill('d1'));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await store.read(async (r) => {
        expect(await r.listBackups()).toEqual([]);
        expect(await r.listDrills()).toEqual([]);
      });
    });
  });
}

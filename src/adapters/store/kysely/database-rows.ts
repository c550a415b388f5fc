import type { Kysely } from 'kysely';
import type {
  BackupRecord,
  DatabaseRecordFilter,
  DriftCheckRecord,
  DrillRecord,
  MigrationRunRecord,
  RestoreApprovalRecord,
  RestoreRecord,
} from '../../../core/store/database-records.js';
import { alreadySet, recordNotFound } from '../store-errors.js';
import type { Database } from './tables.js';

/*
 * Database records are kept as their JSON body plus the columns listings filter on; the
 * fields set later (a backup's pruning, an approval's use) live in columns of their own and
 * are merged back into the record on reading.
 */

type BodyTable =
  | 'database_backups'
  | 'database_drills'
  | 'database_restore_approvals'
  | 'database_restores'
  | 'database_migration_runs'
  | 'database_drift_checks';

interface Keyed {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  readonly deploymentId?: string;
}

async function insertBody(
  db: Kysely<Database>,
  table: BodyTable,
  record: Keyed,
  at: string,
  extra: Record<string, string | null> = {},
): Promise<void> {
  // Every body table shares these columns; the cast only picks one of them for the types.
  await db
    .insertInto(table as 'database_drills')
    .values({
      id: record.id,
      environment: record.environment,
      database: record.database,
      deployment_id: record.deploymentId ?? null,
      at,
      body: JSON.stringify(record),
      ...extra,
    })
    .execute();
}

async function listBodies<T>(
  db: Kysely<Database>,
  table: BodyTable,
  filter: DatabaseRecordFilter,
  merge: (record: T, row: Record<string, unknown>) => T = (record) => record,
): Promise<T[]> {
  let query = db.selectFrom(table as 'database_backups').selectAll();
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.database !== undefined) query = query.where('database', '=', filter.database);
  if (filter.deploymentId !== undefined) {
    query = query.where('deployment_id', '=', filter.deploymentId);
  }
  const rows = await query.orderBy('at').orderBy('ord').execute();
  return rows.map((row) => merge(JSON.parse(row.body) as T, row as Record<string, unknown>));
}

function backupRecord(record: BackupRecord, row: Record<string, unknown>): BackupRecord {
  const prunedAt = row['pruned_at'];
  return typeof prunedAt === 'string' ? { ...record, prunedAt } : record;
}

function approvalRecord(
  record: RestoreApprovalRecord,
  row: Record<string, unknown>,
): RestoreApprovalRecord {
  const usedAt = row['used_at'];
  const usedBy = row['used_by'];
  return typeof usedAt === 'string' && typeof usedBy === 'string'
    ? { ...record, usedAt, usedBy }
    : record;
}

export async function getBackup(
  db: Kysely<Database>,
  id: string,
): Promise<BackupRecord | undefined> {
  const row = await db
    .selectFrom('database_backups')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && backupRecord(JSON.parse(row.body) as BackupRecord, row);
}

export const listBackups = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<BackupRecord>(db, 'database_backups', filter, backupRecord);
export const listDrills = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<DrillRecord>(db, 'database_drills', filter);
export const listRestoreApprovals = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<RestoreApprovalRecord>(db, 'database_restore_approvals', filter, approvalRecord);
export const listRestores = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<RestoreRecord>(db, 'database_restores', filter);
export const listMigrationRuns = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<MigrationRunRecord>(db, 'database_migration_runs', filter);
export const listDriftChecks = (db: Kysely<Database>, filter: DatabaseRecordFilter = {}) =>
  listBodies<DriftCheckRecord>(db, 'database_drift_checks', filter);

export async function insertBackup(db: Kysely<Database>, record: BackupRecord): Promise<void> {
  // The pruning mark lives in its column only; a record inserted with one keeps it there.
  const { prunedAt, ...body } = record;
  await insertBody(db, 'database_backups', body, record.startedAt, {
    status: record.status,
    pruned_at: prunedAt ?? null,
  });
}

export async function markBackupPruned(
  db: Kysely<Database>,
  id: string,
  prunedAt: string,
): Promise<void> {
  const result = await db
    .updateTable('database_backups')
    .set({ pruned_at: prunedAt })
    .where('id', '=', id)
    .where('pruned_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw (await getBackup(db, id)) ? alreadySet('backup', id) : recordNotFound('backup', id);
  }
}

export const insertDrill = (db: Kysely<Database>, record: DrillRecord) =>
  insertBody(db, 'database_drills', record, record.startedAt);
export const insertRestore = (db: Kysely<Database>, record: RestoreRecord) =>
  insertBody(db, 'database_restores', record, record.startedAt);
export const insertMigrationRun = (db: Kysely<Database>, record: MigrationRunRecord) =>
  insertBody(db, 'database_migration_runs', record, record.startedAt);
export const insertDriftCheck = (db: Kysely<Database>, record: DriftCheckRecord) =>
  insertBody(db, 'database_drift_checks', record, record.checkedAt);

export async function insertRestoreApproval(
  db: Kysely<Database>,
  record: RestoreApprovalRecord,
): Promise<void> {
  const { usedAt, usedBy, ...body } = record;
  await insertBody(db, 'database_restore_approvals', body, record.createdAt, {
    used_at: usedAt ?? null,
    used_by: usedBy ?? null,
  });
}

export async function useRestoreApproval(
  db: Kysely<Database>,
  id: string,
  usedBy: string,
  usedAt: string,
): Promise<void> {
  const result = await db
    .updateTable('database_restore_approvals')
    .set({ used_at: usedAt, used_by: usedBy })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    const known = await db
      .selectFrom('database_restore_approvals')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    throw known ? alreadySet('restore approval', id) : recordNotFound('restore approval', id);
  }
}

import { compareTableStats } from '../database/compare-table-stats.js';
import { scratchName } from '../database/database.js';
import {
  openComponent,
  requireDatabaseComponent,
  scrub,
  scrubbed,
  type DatabaseContext,
} from '../database/database-context.js';
import { EclusaError, invalidInput } from '../errors/eclusa-error.js';
import type { BackupRecord, DrillRecord, TableMismatch } from '../store/database-records.js';
import { requireEnvironment } from './governance-context.js';
import { newId } from './ids.js';

export interface DrillInput {
  readonly environment: string;
  readonly database: string;
  /** Default: the newest verified backup of that database in that environment. */
  readonly backupId?: string;
}

/** The backup a drill or a restore uses: the one named, else the newest verified one still on disk. */
export async function chooseBackup(
  context: DatabaseContext,
  environment: string,
  database: string,
  backupId: string | undefined,
): Promise<BackupRecord> {
  const usable = (backup: BackupRecord): boolean =>
    backup.status === 'verified' &&
    backup.prunedAt === undefined &&
    backup.environment === environment &&
    backup.database === database;
  if (backupId !== undefined) {
    const backup = await context.store.read((reader) => reader.getBackup(backupId));
    if (backup !== undefined && usable(backup)) return backup;
    throw invalidInput(
      'UNKNOWN_BACKUP',
      backup === undefined
        ? `no backup with id ${backupId}`
        : `backup ${backupId} is not a usable backup of ${database} in ${environment} (${backup.environment}/${backup.database}, ${backup.prunedAt ? 'pruned' : backup.status})`,
      { hint: `eclusa backup list --env ${environment} shows the backups` },
    );
  }
  const newest = (
    await context.store.read((reader) => reader.listBackups({ environment, database }))
  )
    .filter(usable)
    .at(-1);
  if (newest) return newest;
  throw invalidInput('NO_BACKUP', `there is no verified backup of ${database} in ${environment}`, {
    hint: `take one first: eclusa backup run --env ${environment} --database ${database}`,
  });
}

/** Throws BACKUP_FILE_CHANGED when the file is gone or its SHA-256 is not the recorded one. */
export async function checkBackupFile(
  context: DatabaseContext,
  backup: BackupRecord,
): Promise<string> {
  const file = backup.file ?? '';
  if (!(await context.files.exists(file)))
    throw new EclusaError(
      'failed',
      'BACKUP_FILE_MISSING',
      `the file of backup ${backup.id} is gone: ${file}`,
      {
        hint: 'restore the file from where backups are copied, or take a new backup',
      },
    );
  const { sha256 } = await context.files.digest(file);
  if (sha256 !== backup.sha256)
    throw new EclusaError(
      'failed',
      'BACKUP_FILE_CHANGED',
      `the file of backup ${backup.id} changed since it was taken (SHA-256 ${sha256.slice(0, 12)}…, recorded ${backup.sha256?.slice(0, 12) ?? '?'}…)`,
      { hint: 'do not use it; take a new backup' },
    );
  return file;
}

/**
 * A restore drill: restores a backup into a scratch database on the same server, compares
 * every table's row count and checksum with those captured at backup time, and records
 * RTO (how long the restore took) and RPO (how old the backup was). The scratch database
 * is dropped whatever happens.
 */
export async function runDrill(context: DatabaseContext, input: DrillInput): Promise<DrillRecord> {
  const environment = requireEnvironment(context.policy, input.environment).name;
  const database = input.database;
  const component = requireDatabaseComponent(context.policy, database);
  const backup = await chooseBackup(context, environment, database, input.backupId);
  const db = openComponent(context, database, component);
  const id = newId('drl');
  const scratch = scratchName('drill', database, id);
  const started = context.clock.now();

  let rtoMs: number | undefined;
  let mismatches: TableMismatch[] = [];
  let compared = 0;
  let error: string | undefined;
  let created = false;
  let scratchDropped = true;
  try {
    const file = await checkBackupFile(context, backup);
    await db.createDatabase(scratch);
    created = true;
    const restoreStart = context.clock.now().getTime();
    await db.restore(file, scratch);
    rtoMs = context.clock.now().getTime() - restoreStart;
    const restored = await db.tableStats(scratch, backup.tables);
    if (backup.tables) {
      mismatches = compareTableStats(backup.tables, restored);
      compared = backup.tables.length;
    }
  } catch (caught) {
    error = scrubbed(context, caught).message;
  } finally {
    if (created) {
      try {
        await db.dropDatabase(scratch);
      } catch (caught) {
        scratchDropped = false;
        error ??= scrub(
          context,
          `the scratch database ${scratch} could not be dropped: ${(caught as Error).message}`,
        );
      }
    }
    await db.close();
  }

  const status: DrillRecord['status'] =
    error !== undefined || mismatches.length > 0
      ? 'failed'
      : backup.tables
        ? 'passed'
        : 'unverified';
  const record: DrillRecord = {
    id,
    environment,
    database,
    backupId: backup.id,
    status,
    scratchDatabase: scratch,
    scratchDropped,
    ...(rtoMs === undefined ? {} : { rtoMs }),
    rpoMs: Math.max(0, started.getTime() - Date.parse(backup.startedAt)),
    tablesCompared: compared,
    mismatches,
    ...(error === undefined
      ? status === 'unverified'
        ? { error: backup.baselineNote ?? 'the backup has no row counts to compare with' }
        : {}
      : { error }),
    createdBy: context.actor.id,
    startedAt: started.toISOString(),
    finishedAt: context.clock.now().toISOString(),
  };
  await context.store.write(async (writer) => {
    await writer.insertDrill(record);
    await context.audit.append(writer, {
      kind: `database.drill.${status}`,
      subject: `database/${environment}/${database}`,
      actor: context.actor,
      data: {
        id,
        backupId: backup.id,
        rtoMs: record.rtoMs ?? null,
        rpoMs: record.rpoMs,
        tablesCompared: compared,
        mismatches: mismatches.map((m) => m.table),
        scratchDropped,
        error: record.error ?? null,
      },
    });
  });
  return record;
}

import { join } from 'node:path';
import {
  openComponent,
  policyRelative,
  requireDatabaseComponent,
  scrub,
  scrubbed,
  type DatabaseContext,
} from '../database/database-context.js';
import type { BackupRecord } from '../store/database-records.js';
import type { StoreWriter } from '../store/store.js';
import { nowIso, requireEnvironment } from './governance-context.js';
import { newId } from './ids.js';

export interface BackupInput {
  readonly environment: string;
  /** The database component's name in the policy. */
  readonly database: string;
  readonly reason?: string;
  /** The deployment whose `backup` step asks: a verified backup already taken for it is reused. */
  readonly deploymentId?: string;
  readonly signal?: AbortSignal;
}

export interface BackupOutcome {
  readonly backup: BackupRecord;
  /** True when the deployment already had a verified backup, and nothing was done. */
  readonly reused: boolean;
  /** Older backups retention removed. */
  readonly pruned: readonly BackupRecord[];
  /** Files retention could not delete (their records are marked pruned all the same). */
  readonly warnings: readonly string[];
}

const subject = (environment: string, database: string) => `database/${environment}/${database}`;

/** `2026-11-23T09:30:00.000Z` → `20261123T093000Z`, for file names that sort by time. */
function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Takes a backup of one database component: dumps into a partial file, validates the whole
 * dump, then gives it its final name and records file, size, SHA-256, duration, versions
 * and per-table row counts and checksums. A failure deletes the partial file and records a
 * failed backup; retention then prunes the oldest verified backups beyond
 * `backup.retention`. Check, then act: with a `deploymentId` that already has a verified
 * backup whose file is there, nothing is done.
 */
export async function runBackup(
  context: DatabaseContext,
  input: BackupInput,
): Promise<BackupOutcome> {
  const environment = requireEnvironment(context.policy, input.environment).name;
  const database = input.database;
  const component = requireDatabaseComponent(context.policy, database);

  if (input.deploymentId !== undefined) {
    const done = (
      await context.store.read((reader) =>
        reader.listBackups({ environment, database, deploymentId: input.deploymentId }),
      )
    )
      .filter((backup) => backup.status === 'verified' && backup.prunedAt === undefined)
      .at(-1);
    if (done?.file !== undefined && (await context.files.exists(done.file)))
      return { backup: done, reused: true, pruned: [], warnings: [] };
  }

  const db = openComponent(context, database, component);
  const id = newId('bkp');
  const started = context.clock.now();
  const dir =
    component.backup?.dir === undefined
      ? context.backupRoot
      : policyRelative(context.policy, component.backup.dir);
  const extension = component.engine === 'postgres' ? 'dump' : 'sql';
  const file = join(
    dir,
    `${database}-${environment}-${stamp(started.toISOString())}-${id}.${extension}`,
  );
  const partial = `${file}.partial`;
  const base = {
    id,
    environment,
    database,
    engine: component.engine,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
    createdBy: context.actor.id,
    startedAt: started.toISOString(),
  };
  const finished = () => {
    const now = context.clock.now();
    return { finishedAt: now.toISOString(), durationMs: now.getTime() - started.getTime() };
  };

  let record: BackupRecord;
  try {
    await context.files.prepareDir(dir);
    const dump = await db.backup(partial, input.signal ? { signal: input.signal } : {});
    const { entries, size, sha256 } = dump.checked ?? {
      ...(await db.validate(partial)),
      ...(await context.files.digest(partial)),
    };
    await context.files.rename(partial, file);
    record = {
      ...base,
      status: 'verified',
      file,
      size,
      sha256,
      serverVersion: dump.serverVersion,
      toolVersion: dump.toolVersion,
      entries,
      ...(dump.tables ? { tables: dump.tables } : {}),
      ...(dump.baselineNote ? { baselineNote: dump.baselineNote } : {}),
      ...finished(),
    };
  } catch (error) {
    // Nothing of a failed dump is kept: not the partial file, not a usable record.
    await context.files.remove(partial).catch(() => undefined);
    const clean = scrubbed(context, error);
    const failed: BackupRecord = { ...base, status: 'failed', error: clean.message, ...finished() };
    await context.store.write(async (writer) => {
      await writer.insertBackup(failed);
      await context.audit.append(writer, {
        kind: 'database.backup.failed',
        subject: subject(environment, database),
        actor: context.actor,
        data: { id, code: clean.code, error: clean.message },
      });
    });
    throw clean;
  } finally {
    await db.close();
  }

  const pruned = await context.store.write(async (writer) => {
    await writer.insertBackup(record);
    await context.audit.append(writer, {
      kind: 'database.backup.verified',
      subject: subject(environment, database),
      actor: context.actor,
      data: {
        id,
        file,
        size: record.size ?? 0,
        sha256: record.sha256 ?? '',
        durationMs: record.durationMs,
        serverVersion: record.serverVersion ?? '',
        entries: record.entries ?? 0,
        tables: record.tables?.length ?? null,
        deploymentId: input.deploymentId ?? null,
        reason: input.reason ?? null,
      },
    });
    return prune(context, writer, environment, database, component.backup?.retention);
  });
  const warnings: string[] = [];
  // Files go only after their records say so: a crash in between leaves a stray file,
  // never a record pointing at nothing.
  for (const old of pruned) {
    if (old.file === undefined) continue;
    await context.files.remove(old.file).catch((error: unknown) => {
      warnings.push(scrub(context, `could not delete ${old.file}: ${(error as Error).message}`));
    });
  }
  return { backup: record, reused: false, pruned, warnings };
}

/** Marks the oldest verified backups beyond `keep` pruned, with an audit event each. */
async function prune(
  context: DatabaseContext,
  writer: StoreWriter,
  environment: string,
  database: string,
  keep: number | undefined,
): Promise<BackupRecord[]> {
  if (keep === undefined) return [];
  const kept = (await writer.listBackups({ environment, database })).filter(
    (backup) => backup.status === 'verified' && backup.prunedAt === undefined,
  );
  const excess = kept.slice(0, Math.max(0, kept.length - keep));
  const at = nowIso(context);
  for (const old of excess) {
    await writer.markBackupPruned(old.id, at);
    await context.audit.append(writer, {
      kind: 'database.backup.pruned',
      subject: subject(environment, database),
      actor: context.actor,
      data: { id: old.id, file: old.file ?? null, retention: keep },
    });
  }
  return excess.map((old) => ({ ...old, prunedAt: at }));
}

/** Backups, newest first, filtered by whichever of environment and database is given. */
export async function listBackups(
  context: Pick<DatabaseContext, 'store'>,
  filter: { environment?: string; database?: string } = {},
): Promise<BackupRecord[]> {
  return (await context.store.read((reader) => reader.listBackups(filter))).reverse();
}

import { formatDuration } from '../../core/policy/duration.js';
import { listBackups, runBackup } from '../../core/services/backup-service.js';
import { runDrill } from '../../core/services/drill-service.js';
import { approveRestore, restoreDatabase } from '../../core/services/restore-service.js';
import type { BackupRecord, DrillRecord } from '../../core/store/database-records.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { chosenDatabases, withDatabaseRuntime } from '../database-runtime.js';

interface Common {
  readonly file?: string;
  readonly json?: boolean;
}

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit] ?? ''}`;
}

const ms = (value: number | undefined): string =>
  value === undefined ? '?' : value < 1000 ? `${value}ms` : formatDuration(value - (value % 1000));

function backupLine(backup: BackupRecord): string {
  if (backup.status === 'failed')
    return `${backup.id}  ${backup.environment}/${backup.database}  FAILED ${backup.startedAt}: ${backup.error ?? ''}`;
  return [
    `${backup.id}  ${backup.environment}/${backup.database}  ${backup.finishedAt}  ${size(backup.size)}  ${ms(backup.durationMs)}`,
    `${backup.prunedAt ? `pruned ${backup.prunedAt}` : (backup.file ?? '')}`,
  ].join('  ');
}

/** `eclusa backup run`: exit 0 when every database was backed up and verified, 5 when one failed. */
export async function backupRun(
  io: CliIo,
  options: Common & { env: string; database?: string; reason?: string },
): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const outcomes = [];
    for (const database of chosenDatabases(context, options.database, 'back up')) {
      const outcome = await runBackup(context, {
        environment: options.env,
        database,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      outcomes.push(outcome);
      if (!options.json) {
        const b = outcome.backup;
        io.out(
          `backed up ${database} (${options.env}) to ${b.file ?? '?'}: ${size(b.size)} in ${ms(b.durationMs)}, sha256 ${b.sha256 ?? '?'}, ${b.entries ?? 0} entries verified${b.tables ? `, ${b.tables.length} table(s) counted` : ''}`,
        );
        if (b.baselineNote) io.out(`  note: ${b.baselineNote}`);
        for (const old of outcome.pruned)
          io.out(`  retention pruned ${old.id} (${old.file ?? ''})`);
        for (const warning of outcome.warnings) io.err(`  warning: ${warning}`);
      }
    }
    if (options.json)
      writeJson(io, {
        ok: true,
        backups: outcomes.map((o) => o.backup),
        pruned: outcomes.flatMap((o) => o.pruned),
        warnings: outcomes.flatMap((o) => o.warnings),
      });
    return 0;
  });
}

/** `eclusa backup list`: newest first. */
export async function backupList(
  io: CliIo,
  options: Common & { env?: string; database?: string },
): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: false }, async (context) => {
    const backups = await listBackups(context, {
      ...(options.env === undefined ? {} : { environment: options.env }),
      ...(options.database === undefined ? {} : { database: options.database }),
    });
    if (options.json) writeJson(io, { backups });
    else if (backups.length === 0) io.out('no backups recorded');
    else for (const backup of backups) io.out(backupLine(backup));
    return 0;
  });
}

function drillLines(drill: DrillRecord): string[] {
  const head = `restore drill of ${drill.database} (${drill.environment}) from ${drill.backupId}: ${drill.status.toUpperCase()} — RTO ${ms(drill.rtoMs)}, RPO ${ms(drill.rpoMs)}, ${drill.tablesCompared} table(s) compared`;
  return [
    head,
    ...drill.mismatches.map(
      (m) =>
        `  ${m.table}: expected ${m.expected ? `${m.expected.rows} rows / ${m.expected.checksum}` : 'no table'}, restored ${m.actual ? `${m.actual.rows} rows / ${m.actual.checksum}` : 'no table'}`,
    ),
    ...(drill.error ? [`  ${drill.error}`] : []),
    ...(drill.scratchDropped
      ? []
      : [`  the scratch database ${drill.scratchDatabase} is still there: drop it`]),
  ];
}

/** `eclusa backup drill`: exit 0 when every drill passed (or could not compare), 5 when one failed. */
export async function backupDrill(
  io: CliIo,
  options: Common & { env: string; database?: string; backup?: string },
): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const drills: DrillRecord[] = [];
    for (const database of chosenDatabases(context, options.database, 'drill')) {
      const drill = await runDrill(context, {
        environment: options.env,
        database,
        ...(options.backup === undefined ? {} : { backupId: options.backup }),
      });
      drills.push(drill);
      if (!options.json) for (const line of drillLines(drill)) io.out(line);
    }
    const ok = drills.every((drill) => drill.status !== 'failed');
    if (options.json) writeJson(io, { ok, drills });
    return ok ? 0 : 5;
  });
}

/** `eclusa backup approve-restore`: a member of the restore role consents to one restore. */
export async function backupApproveRestore(
  io: CliIo,
  options: Common & {
    env: string;
    database: string;
    reason: string;
    backup?: string;
    role?: string;
  },
): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const approval = await approveRestore(context, {
      environment: options.env,
      database: options.database,
      reason: options.reason,
      ...(options.backup === undefined ? {} : { backupId: options.backup }),
      ...(options.role === undefined ? {} : { role: options.role }),
    });
    if (options.json) writeJson(io, approval);
    else
      io.out(
        `${approval.approvedBy} (${approval.role}) approved one restore of ${approval.database} in ${approval.environment}${approval.backupId ? ` from ${approval.backupId}` : ''} until ${approval.expiresAt} (${approval.id}); another person runs eclusa backup restore`,
      );
    return 0;
  });
}

/** `eclusa backup restore`: exit 0 restored, 3 without approval, 5 when it failed. */
export async function backupRestore(
  io: CliIo,
  options: Common & { env: string; database: string; backup?: string; role?: string },
): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const restore = await restoreDatabase(context, {
      environment: options.env,
      database: options.database,
      ...(options.backup === undefined ? {} : { backupId: options.backup }),
      ...(options.role === undefined ? {} : { role: options.role }),
    });
    if (options.json) writeJson(io, restore);
    else
      io.out(
        `restored ${restore.database} (${restore.environment}) from ${restore.backupId} in ${ms(restore.durationMs)}, approved by ${restore.approvedBy}; the state before is backup ${restore.safetyBackupId ?? '?'}`,
      );
    return 0;
  });
}

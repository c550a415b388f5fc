import {
  openComponent,
  requireDatabaseComponent,
  scrubbed,
  type DatabaseContext,
} from '../database/database-context.js';
import type { RestoreRecord } from '../store/database-records.js';
import { runBackup } from './backup-service.js';
import { checkBackupFile, chooseBackup } from './drill-service.js';
import { nowIso, requireEnvironment } from './governance-context.js';
import { newId } from './ids.js';
import { findApproval, restoreRole } from './restore-approval-service.js';

export {
  approveRestore,
  restoreRole,
  RESTORE_APPROVAL_TTL_MS,
  type RestoreApprovalInput,
} from './restore-approval-service.js';

export interface RestoreInput {
  readonly environment: string;
  readonly database: string;
  /** Default: the backup the approval names, else the deployment's, else the newest verified one. */
  readonly backupId?: string;
  /** The deployment whose rollback asks: its pre-deploy backup is the default. */
  readonly deploymentId?: string;
  readonly role?: string;
}

/**
 * Restores a database in place from a backup. Refused (exit 3) without an unused, unexpired
 * approval by a member of the restore role who is not the person restoring; with one, the
 * approval is used up, the current state is backed up first, and then the backup replaces
 * the database's objects.
 */
export async function restoreDatabase(
  context: DatabaseContext,
  input: RestoreInput,
): Promise<RestoreRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const database = input.database;
  const component = requireDatabaseComponent(context.policy, database);
  const role = restoreRole(context.policy, environment, database, input.role);
  const members = context.policy.roles?.[role]?.members ?? [];
  const me = context.actor.id;
  const id = newId('rst');
  const started = context.clock.now();

  // Everything that can be checked without side effects is checked before the approval is used up.
  const approval = findApproval(
    await context.store.read((reader) =>
      reader.listRestoreApprovals({ environment: environment.name, database }),
    ),
    { role, members, me, at: started, backupId: input.backupId },
    `restoring ${database} in ${environment.name}`,
    `eclusa backup approve-restore --env ${environment.name} --database ${database} --reason "…"`,
  );
  const deploymentBackup =
    input.deploymentId === undefined
      ? undefined
      : (
          await context.store.read((reader) =>
            reader.listBackups({
              environment: environment.name,
              database,
              deploymentId: input.deploymentId,
            }),
          )
        ).find((backup) => backup.status === 'verified' && backup.prunedAt === undefined)?.id;
  const backup = await chooseBackup(
    context,
    environment.name,
    database,
    input.backupId ?? approval.backupId ?? deploymentBackup,
  );
  const file = await checkBackupFile(context, backup);

  await context.store.write(async (writer) => {
    // Refused (RESTORE_APPROVAL_ALREADY_USED) when another restore took it meanwhile.
    await writer.useRestoreApproval(approval.id, id, started.toISOString());
    await context.audit.append(writer, {
      kind: 'database.restore.started',
      subject: `database/${environment.name}/${database}`,
      actor: context.actor,
      data: {
        id,
        approvalId: approval.id,
        approvedBy: approval.approvedBy,
        role,
        backupId: backup.id,
      },
    });
  });

  let safetyBackupId: string | undefined;
  let durationMs: number | undefined;
  let failure: ReturnType<typeof scrubbed> | undefined;
  try {
    const safety = await runBackup(context, {
      environment: environment.name,
      database,
      reason: `state before restoring ${backup.id}`,
      ...(input.deploymentId === undefined
        ? {}
        : { deploymentId: `${input.deploymentId}/before-restore` }),
    });
    safetyBackupId = safety.backup.id;
    const db = openComponent(context, database, component);
    try {
      const restoreStart = context.clock.now().getTime();
      await db.restore(file, db.name, { replace: true });
      durationMs = context.clock.now().getTime() - restoreStart;
    } finally {
      await db.close();
    }
  } catch (error) {
    failure = scrubbed(context, error);
  }
  const record: RestoreRecord = {
    id,
    environment: environment.name,
    database,
    backupId: backup.id,
    approvalId: approval.id,
    approvedBy: approval.approvedBy,
    ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
    createdBy: me,
    startedAt: started.toISOString(),
    ...(safetyBackupId === undefined ? {} : { safetyBackupId }),
    status: failure ? 'failed' : 'succeeded',
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(failure ? { error: failure.message } : {}),
    finishedAt: nowIso(context),
  };
  await context.store.write(async (writer) => {
    await writer.insertRestore(record);
    await context.audit.append(writer, {
      kind: failure ? 'database.restore.failed' : 'database.restore.succeeded',
      subject: `database/${environment.name}/${database}`,
      actor: context.actor,
      data: {
        id,
        backupId: record.backupId,
        safetyBackupId: safetyBackupId ?? null,
        approvalId: approval.id,
        durationMs: durationMs ?? null,
        error: record.error ?? null,
      },
    });
  });
  if (failure) throw failure;
  return record;
}

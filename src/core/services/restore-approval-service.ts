import { requireDatabaseComponent, type DatabaseContext } from '../database/database-context.js';
import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import type { RestoreApprovalRecord } from '../store/database-records.js';
import { chooseBackup } from './drill-service.js';
import { requireEnvironment } from './governance-context.js';
import { newId } from './ids.js';

/** How long a restore approval counts when the approver says nothing else. */
export const RESTORE_APPROVAL_TTL_MS = 60 * 60_000;

/**
 * The role that approves restoring `database` in `environment`: the one the environment's
 * rollback action `restore-database` names, else the `--role` given (which must exist).
 */
export function restoreRole(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
  database: string,
  role: string | undefined,
): string {
  const action = environment.rollback?.actions?.find(
    (a) => a.kind === 'restore-database' && a.database === database,
  );
  const named = action?.kind === 'restore-database' ? action.approval : undefined;
  if (named !== undefined) {
    if (role !== undefined && role !== named)
      throw invalidInput(
        'RESTORE_ROLE_MISMATCH',
        `the policy says ${named} approves restoring ${database} in ${environment.name}, not ${role}`,
        { hint: `leave out --role, or pass --role ${named}` },
      );
    return named;
  }
  if (role === undefined)
    throw invalidInput(
      'NO_RESTORE_ROLE',
      `the policy names no role that approves restoring ${database} in ${environment.name}`,
      {
        hint: `add to ${environment.name}.rollback.actions { kind: restore-database, database: ${database}, approval: dba }, or pass --role dba`,
      },
    );
  if (policy.roles?.[role] === undefined)
    throw invalidInput('UNKNOWN_ROLE', `role "${role}" is not in the policy`, {
      hint: `roles: ${Object.keys(policy.roles ?? {}).join(', ') || 'none'}`,
    });
  return role;
}

export interface RestoreApprovalInput {
  readonly environment: string;
  readonly database: string;
  readonly reason: string;
  readonly backupId?: string;
  readonly role?: string;
  /** Default one hour. */
  readonly ttlMs?: number;
}

/** A member of the restore role consents to one restore of one database. */
export async function approveRestore(
  context: DatabaseContext,
  input: RestoreApprovalInput,
): Promise<RestoreApprovalRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  requireDatabaseComponent(context.policy, input.database);
  const role = restoreRole(context.policy, environment, input.database, input.role);
  const me = context.actor.id;
  if (!context.policy.roles?.[role]?.members.includes(me))
    throw refused('NOT_IN_ROLE', `${me} does not hold the role ${role}`, {
      hint: `a member of ${role} approves restores (members are listed under roles in eclusa.yaml)`,
    });
  if (input.reason.trim() === '')
    throw invalidInput('MISSING_REASON', 'a restore approval needs a reason', {
      hint: 'pass --reason "orders corrupted by 2.3.0, incident INC-42"',
    });
  if (input.backupId !== undefined)
    await chooseBackup(context, environment.name, input.database, input.backupId);
  const now = context.clock.now();
  const record: RestoreApprovalRecord = {
    id: newId('rap'),
    environment: environment.name,
    database: input.database,
    ...(input.backupId === undefined ? {} : { backupId: input.backupId }),
    role,
    approvedBy: me,
    reason: input.reason,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (input.ttlMs ?? RESTORE_APPROVAL_TTL_MS)).toISOString(),
  };
  await context.store.write(async (writer) => {
    await writer.insertRestoreApproval(record);
    await context.audit.append(writer, {
      kind: 'database.restore.approved',
      subject: `database/${record.environment}/${record.database}`,
      actor: context.actor,
      data: {
        id: record.id,
        role,
        backupId: record.backupId ?? null,
        reason: record.reason,
        expiresAt: record.expiresAt,
      },
    });
  });
  return record;
}

/** The newest usable approval, or why there is none: four-eyes, role, expiry, backup, single use. */
export function findApproval(
  approvals: readonly RestoreApprovalRecord[],
  want: {
    role: string;
    members: readonly string[];
    me: string;
    at: Date;
    backupId: string | undefined;
  },
  what: string,
  command: string,
): RestoreApprovalRecord {
  const open = approvals
    .filter(
      (a) =>
        a.usedAt === undefined &&
        a.role === want.role &&
        want.members.includes(a.approvedBy) &&
        Date.parse(a.expiresAt) > want.at.getTime() &&
        (want.backupId === undefined || a.backupId === undefined || a.backupId === want.backupId),
    )
    .reverse();
  const usable = open.find((a) => a.approvedBy !== want.me);
  if (usable) return usable;
  if (open.length > 0)
    throw refused('SELF_APPROVAL', `${want.me} approved ${what} and cannot also carry it out`, {
      hint: `four-eyes: another member of ${want.role} restores, or approves instead`,
    });
  throw refused(
    'RESTORE_NOT_APPROVED',
    `${what} needs an approval by the role ${want.role}, and there is none unused and unexpired`,
    {
      hint: `a member of ${want.role} (${want.members.join(', ') || 'nobody yet'}) runs: ${command}`,
    },
  );
}

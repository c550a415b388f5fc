import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { BlockerRecord } from '../store/records.js';
import { newId } from './ids.js';
import { nowIso, requireEnvironment, type GovernanceContext } from './governance-context.js';

/** Blocks promotion into an environment (a compromised credential, an incident) until someone else unblocks it. */
export async function block(
  context: GovernanceContext,
  environmentName: string,
  reason: string,
): Promise<BlockerRecord> {
  const environment = requireEnvironment(context.policy, environmentName);
  if (reason.trim() === '')
    throw invalidInput('MISSING_REASON', 'a blocker needs a reason', {
      hint: 'pass --reason "credential X leaked; rotate before deploying"',
    });
  return context.store.write(async (writer) => {
    const record: BlockerRecord = {
      id: newId('blk'),
      environment: environment.name,
      reason,
      createdBy: context.actor.id,
      createdAt: nowIso(context),
    };
    await writer.insertBlocker(record);
    await context.audit.append(writer, {
      kind: 'blocker.opened',
      subject: `environment/${environment.name}`,
      actor: context.actor,
      data: { id: record.id, reason },
    });
    return record;
  });
}

/** Resolves a blocker; the person who opened it cannot close it alone. */
export async function unblock(
  context: GovernanceContext,
  environmentName: string,
  id: string | undefined,
  resolution: string | undefined,
): Promise<BlockerRecord> {
  const environment = requireEnvironment(context.policy, environmentName);
  return context.store.write(async (writer) => {
    const open = await writer.listBlockers(environment.name, { openOnly: true });
    const target =
      id === undefined ? (open.length === 1 ? open[0] : undefined) : open.find((b) => b.id === id);
    if (!target) {
      throw invalidInput(
        'UNKNOWN_BLOCKER',
        id === undefined
          ? open.length === 0
            ? `${environment.name} has no open blocker`
            : `${environment.name} has ${open.length} open blockers; say which`
          : `no open blocker ${id} on ${environment.name}`,
        {
          hint:
            open.length > 0
              ? `open: ${open.map((b) => `${b.id} (${b.reason})`).join('; ')}`
              : 'nothing to unblock',
        },
      );
    }
    if (target.createdBy === context.actor.id) {
      throw refused(
        'SELF_UNBLOCK',
        `${context.actor.id} opened blocker ${target.id} and cannot resolve it alone`,
        { hint: 'another person confirms the cause is fixed and unblocks' },
      );
    }
    const at = nowIso(context);
    await writer.resolveBlocker(target.id, context.actor.id, at, resolution);
    await context.audit.append(writer, {
      kind: 'blocker.resolved',
      subject: `environment/${environment.name}`,
      actor: context.actor,
      data: { id: target.id, resolution: resolution ?? null },
    });
    return {
      ...target,
      resolvedBy: context.actor.id,
      resolvedAt: at,
      ...(resolution === undefined ? {} : { resolution }),
    };
  });
}

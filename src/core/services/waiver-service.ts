import { parseDuration } from '../policy/duration.js';
import { invalidInput, refused } from '../errors/eclusa-error.js';
import { UNWAIVABLE_GATES } from '../governance/gate-result.js';
import type { WaiverRecord } from '../store/records.js';
import { newId } from './ids.js';
import {
  nowIso,
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';
import { gateNames } from './gate-names.js';

export interface WaiverRequestInput {
  readonly release: string;
  readonly environment: string;
  readonly gate: string;
  readonly justification: string;
  readonly risk: string;
  readonly expiresAt?: string;
}

/** The role that approves waivers: `waivers.approvedBy`, else the project owners. */
function approvers(context: GovernanceContext): { role: string; members: readonly string[] } {
  const role = context.policy.waivers?.approvedBy;
  if (role) return { role, members: context.policy.roles?.[role]?.members ?? [] };
  return { role: 'project owner', members: context.policy.project.owners };
}

/** Writes an exception down before it is used: gate, justification, accepted risk, expiry. */
export async function requestWaiver(
  context: GovernanceContext,
  input: WaiverRequestInput,
): Promise<WaiverRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const gates = gateNames(context.policy, environment);
  if (!gates.includes(input.gate)) {
    throw invalidInput('UNKNOWN_GATE', `${environment.name} has no gate "${input.gate}"`, {
      hint: `gates: ${gates.join(', ')}`,
    });
  }
  if (UNWAIVABLE_GATES.includes(input.gate)) {
    throw refused('UNWAIVABLE_GATE', `the ${input.gate} gate cannot be waived`, {
      hint:
        input.gate === 'approvals'
          ? 'get the approvals'
          : 'resolve the blocker (eclusa unblock) once its cause is fixed',
    });
  }
  if (input.justification.trim() === '' || input.risk.trim() === '') {
    throw invalidInput(
      'WAIVER_INCOMPLETE',
      'a waiver needs a justification and the accepted risk',
      { hint: 'pass --justification and --risk with real text' },
    );
  }
  const now = context.clock.now();
  if (input.expiresAt !== undefined) {
    const expires = Date.parse(input.expiresAt);
    if (Number.isNaN(expires))
      throw invalidInput('INVALID_DATE', `--expires "${input.expiresAt}" is not an ISO date-time`, {
        hint: 'e.g. 2026-12-01T18:00:00Z',
      });
    if (expires <= now.getTime())
      throw invalidInput('INVALID_DATE', `--expires ${input.expiresAt} is already past`, {
        hint: 'give a future expiry',
      });
    const max = context.policy.waivers?.maxDuration;
    const maxMs = max === undefined ? undefined : parseDuration(max);
    if (maxMs !== undefined && expires - now.getTime() > maxMs) {
      throw refused('WAIVER_TOO_LONG', `a waiver may last at most ${max}`, {
        hint: 'ask for a shorter expiry',
      });
    }
  }
  return context.store.write(async (writer) => {
    await requireRelease(writer, input.release);
    const record: WaiverRecord = {
      id: newId('wvr'),
      release: input.release,
      environment: environment.name,
      gate: input.gate,
      justification: input.justification,
      risk: input.risk,
      ...(input.expiresAt === undefined
        ? {}
        : { expiresAt: new Date(input.expiresAt).toISOString() }),
      requestedBy: context.actor.id,
      requestedAt: nowIso(context),
    };
    await writer.insertWaiver(record);
    await context.audit.append(writer, {
      kind: 'waiver.requested',
      subject: `release/${input.release}/${environment.name}`,
      actor: context.actor,
      data: {
        id: record.id,
        gate: record.gate,
        justification: record.justification,
        risk: record.risk,
        expiresAt: record.expiresAt ?? null,
      },
    });
    return record;
  });
}

/** Approves a waiver: only by the technical owner role, never by whoever asked for it. */
export async function approveWaiver(context: GovernanceContext, id: string): Promise<WaiverRecord> {
  const me = context.actor.id;
  const { role, members } = approvers(context);
  return context.store.write(async (writer) => {
    const waiver = await writer.getWaiver(id);
    if (!waiver)
      throw invalidInput('UNKNOWN_WAIVER', `waiver ${id} does not exist`, {
        hint: 'the id is printed by `eclusa waiver request`',
      });
    if (waiver.approvedBy)
      throw refused('WAIVER_DECIDED', `waiver ${id} was already approved by ${waiver.approvedBy}`, {
        hint: 'nothing to do',
      });
    if (waiver.requestedBy === me)
      throw refused('SELF_APPROVAL', `${me} asked for waiver ${id} and cannot approve it`, {
        hint: `another ${role} must approve it`,
      });
    if (!members.includes(me))
      throw refused('NOT_IN_ROLE', `${me} is not a ${role}, who approves waivers`, {
        hint: `${role}: ${members.join(', ') || '(nobody)'}`,
      });
    if (
      waiver.expiresAt !== undefined &&
      Date.parse(waiver.expiresAt) <= context.clock.now().getTime()
    ) {
      throw refused('WAIVER_EXPIRED', `waiver ${id} expired at ${waiver.expiresAt}`, {
        hint: 'request a new one',
      });
    }
    const at = nowIso(context);
    await writer.approveWaiver(id, me, at);
    await context.audit.append(writer, {
      kind: 'waiver.approved',
      subject: `release/${waiver.release}/${waiver.environment}`,
      actor: context.actor,
      data: { id, gate: waiver.gate },
    });
    return { ...waiver, approvedBy: me, approvedAt: at };
  });
}

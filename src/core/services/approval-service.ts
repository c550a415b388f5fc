import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { ApprovalRecord } from '../store/records.js';
import { newId } from './ids.js';
import {
  nowIso,
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';

export interface DecisionInput {
  readonly release: string;
  readonly environment: string;
  readonly role?: string;
  readonly comment?: string;
}

/** The quorum roles of an environment that `person` holds. */
function rolesOf(context: GovernanceContext, quorum: readonly string[], person: string): string[] {
  return quorum.filter((role) => context.policy.roles?.[role]?.members.includes(person));
}

/**
 * Records an approval or a rejection, refusing what four-eyes forbids: the release owner
 * deciding on their own release, someone outside the quorum's roles, a second decision by
 * the same person.
 */
export async function decide(
  context: GovernanceContext,
  decision: 'approve' | 'reject',
  input: DecisionInput,
): Promise<ApprovalRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const quorum = environment.gates?.approvals?.roles;
  if (!quorum) {
    throw invalidInput('NO_APPROVALS', `${environment.name} requires no approvals`, {
      hint: 'add gates.approvals to the environment in eclusa.yaml',
    });
  }
  const me = context.actor.id;
  if (input.role !== undefined && !quorum.includes(input.role)) {
    throw invalidInput(
      'UNKNOWN_ROLE',
      `role "${input.role}" is not part of ${environment.name}'s quorum`,
      { hint: `quorum roles: ${quorum.join(', ')}` },
    );
  }
  const mine = rolesOf(context, input.role === undefined ? quorum : [input.role], me);
  if (mine.length === 0) {
    const asked = input.role ?? quorum.join(', ');
    throw refused(
      'NOT_IN_ROLE',
      `${me} does not hold ${input.role === undefined ? 'any of the roles' : 'the role'} ${asked}`,
      {
        hint: `members are listed under roles in eclusa.yaml; act as one of them (ECLUSA_ACTOR) or ask one to ${decision}`,
      },
    );
  }
  return context.store.write(async (writer) => {
    const release = await requireRelease(writer, input.release);
    if (release.owner === me) {
      throw refused(
        'SELF_APPROVAL',
        `${me} owns release ${release.version} and cannot ${decision} it`,
        { hint: 'four-eyes: another member of the role must decide' },
      );
    }
    const earlier = (await writer.listApprovals(release.version, environment.name)).find(
      (a) => a.actor === me,
    );
    if (earlier) {
      throw refused(
        'ALREADY_DECIDED',
        `${me} already ${earlier.decision === 'approve' ? 'approved' : 'rejected'} ${release.version} for ${environment.name} at ${earlier.createdAt}`,
        {
          hint: 'one person counts once; another member of the role must decide',
        },
      );
    }
    const record: ApprovalRecord = {
      id: newId(decision === 'approve' ? 'apr' : 'rej'),
      release: release.version,
      environment: environment.name,
      ...(input.role === undefined ? {} : { role: input.role }),
      actor: me,
      decision,
      ...(input.comment === undefined ? {} : { comment: input.comment }),
      createdAt: nowIso(context),
    };
    await writer.insertApproval(record);
    await context.audit.append(writer, {
      kind: decision === 'approve' ? 'approval.granted' : 'approval.rejected',
      subject: `release/${release.version}/${environment.name}`,
      actor: context.actor,
      data: {
        id: record.id,
        role: input.role ?? null,
        roles: mine,
        comment: input.comment ?? null,
      },
    });
    return record;
  });
}

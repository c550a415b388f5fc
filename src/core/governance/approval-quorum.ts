import { parseDuration } from '../policy/duration.js';
import type { ApprovalRecord } from '../store/records.js';
import type { GateResult } from './gate-result.js';
import { assignRoles } from './role-assignment.js';

export interface QuorumInput {
  /** Roles of the quorum, each needing its own person. */
  readonly roles: readonly string[];
  readonly members: Readonly<Record<string, readonly string[]>>;
  readonly ttl?: string;
  readonly approvals: readonly ApprovalRecord[];
  /** People who may never approve this release here: its owner and whoever asks to deploy it. */
  readonly excluded: readonly string[];
  readonly now: Date;
}

/** Whether an approval by `actor` (optionally as `role`) can count toward role `quorumRole`. */
function counts(
  approval: ApprovalRecord,
  quorumRole: string,
  members: QuorumInput['members'],
): boolean {
  if (approval.role !== undefined && approval.role !== quorumRole) return false;
  return (members[quorumRole] ?? []).includes(approval.actor);
}

/**
 * The approvals gate: a quorum of roles, each approved by a different person who holds it,
 * never by the owner or the requester, within the TTL; any rejection ends it.
 */
export function evaluateQuorum(input: QuorumInput): GateResult {
  const rejection = input.approvals.find((approval) => approval.decision === 'reject');
  if (rejection) {
    const comment = rejection.comment ? `: ${rejection.comment}` : '';
    return {
      name: 'approvals',
      status: 'fail',
      reason: `rejected by ${rejection.actor}${comment}`,
    };
  }
  const ttlMs = input.ttl === undefined ? undefined : parseDuration(input.ttl);
  const live = input.approvals.filter(
    (approval) =>
      approval.decision === 'approve' &&
      !input.excluded.includes(approval.actor) &&
      (ttlMs === undefined || Date.parse(approval.createdAt) + ttlMs > input.now.getTime()),
  );
  const people = [...new Set(live.map((approval) => approval.actor))];
  // Candidates per role: people whose (unexpired) approval can count for it.
  const candidates = input.roles.map((role) =>
    people.filter((person) =>
      live.some((approval) => approval.actor === person && counts(approval, role, input.members)),
    ),
  );
  const assignment = assignRoles(candidates);
  const done = input.roles.flatMap((role, i) =>
    assignment.has(i) ? [`${role} (${assignment.get(i)})`] : [],
  );
  const missing = input.roles.filter((_, i) => !assignment.has(i));
  if (assignment.size === input.roles.length) {
    return { name: 'approvals', status: 'pass', reason: `approved by ${done.join(', ')}` };
  }
  const ignored = input.approvals
    .filter((a) => a.decision === 'approve' && input.excluded.includes(a.actor))
    .map((a) => a.actor);
  const note =
    ignored.length > 0
      ? `; ${[...new Set(ignored)].join(', ')} cannot approve (owner or requester)`
      : '';
  const expired =
    ttlMs !== undefined &&
    input.approvals.some(
      (a) => a.decision === 'approve' && Date.parse(a.createdAt) + ttlMs <= input.now.getTime(),
    );
  const ttlNote = expired ? `; approvals older than ${input.ttl} have expired` : '';
  return {
    name: 'approvals',
    status: 'pending',
    reason: `${done.length > 0 ? `approved by ${done.join(', ')}; ` : ''}waiting for ${missing.join(', ')}${note}${ttlNote}`,
  };
}

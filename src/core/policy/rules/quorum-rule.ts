import { assignRoles } from '../../governance/role-assignment.js';
import type { PolicyRule } from './rule-context.js';

/** An approval quorum must be satisfiable by different people, one role each. */
export const quorumRule: PolicyRule = (policy, context) => {
  const roles = policy.roles ?? {};
  for (const [name, role] of Object.entries(roles)) {
    if (role.members.length === 0) {
      context.warning(
        ['roles', name, 'members'],
        'EMPTY_ROLE',
        `role "${name}" has no members`,
        'list the people who hold it',
      );
    }
  }
  for (const environment of policy.environments) {
    const approvals = environment.gates?.approvals;
    if (!approvals) continue;
    const path = [...environment.source, 'gates', 'approvals', 'roles'];
    const seen = new Set<string>();
    approvals.roles.forEach((role, i) => {
      if (seen.has(role))
        context.error(
          [...path, i],
          'DUPLICATE_NAME',
          `role "${role}" is listed twice in the quorum`,
          'list each role once; each role needs one approval by its own person',
        );
      seen.add(role);
    });
    const known = approvals.roles.filter((role) => role in roles);
    if (known.length !== approvals.roles.length) continue;
    const members = known.map((role) => roles[role]?.members ?? []);
    const filled = assignRoles(members).size;
    if (filled < known.length) {
      context.error(
        path,
        'QUORUM_UNSATISFIABLE',
        `${environment.name} needs ${known.length} approvals from ${known.join(' + ')} by different people, but their members can fill at most ${filled}`,
        'add members to these roles so that each role can be approved by a different person',
      );
    } else {
      // The release owner never approves their own release; a quorum with no spare person can stall.
      const everyone = new Set(members.flat());
      if (everyone.size === known.length) {
        context.warning(
          path,
          'QUORUM_NO_SPARE',
          `every member of ${known.join(' + ')} is needed to approve; if one of them owns the release, ${environment.name} cannot be approved`,
          'add a second member to at least one of these roles',
        );
      }
    }
  }
};

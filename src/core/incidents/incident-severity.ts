import type { Plan } from '../plan/plan.js';

/**
 * The severity of the incident a rollback of `plan` opens: the environment's own
 * `rollback.actions` `incident` entry or `incidents.onRollback` (both in the plan's rollback
 * path), else p1 for a production-tier environment and p2 for any other (the names of
 * the mission's P0/P1/P2 scale, lowercase like every name in the policy).
 */
export function incidentSeverity(plan: Pick<Plan, 'tier' | 'rollback'>): string {
  for (const step of plan.rollback.steps) {
    const severity = step.details['incident'];
    if (typeof severity === 'string') return severity;
  }
  return plan.tier === 'production' ? 'p1' : 'p2';
}

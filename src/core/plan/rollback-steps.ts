import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import type { environmentSchema } from '../policy/schema/environment.js';
import type { z } from 'zod';
import type { PlanStep } from './plan.js';

type RollbackAction = NonNullable<
  NonNullable<z.output<typeof environmentSchema>['rollback']>['actions']
>[number];

/** What the rollback path does when the policy does not say: the safe, reversible actions. */
export function defaultRollbackActions(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
): RollbackAction[] {
  const actions: RollbackAction[] = [];
  const strategy = environment.strategy?.type;
  if (strategy === 'blue-green' || strategy === 'canary') actions.push({ kind: 'traffic' });
  actions.push({ kind: 'redeploy' });
  if (Object.keys(environment.verify ?? {}).length > 0) actions.push({ kind: 'verify' });
  if (environment.notifications) actions.push({ kind: 'notify' });
  if (policy.incidents?.onRollback)
    actions.push({ kind: 'incident', severity: policy.incidents.onRollback });
  return actions;
}

/** The rollback path, computed with the plan so it is known (and reviewable) before anything runs. */
export function rollbackSteps(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
): PlanStep[] {
  const at = `environments[${environment.index}].rollback.actions`;
  const explicit = environment.rollback?.actions;
  const actions = explicit ?? defaultRollbackActions(policy, environment);
  const steps: PlanStep[] = [];
  actions.forEach((action, i) => {
    const id = `rollback-${i + 1}-${action.kind}`;
    const base = { phase: 'rollback' as const, ...(explicit ? { source: `${at}[${i}]` } : {}) };
    switch (action.kind) {
      case 'traffic':
        steps.push({
          ...base,
          id,
          kind: 'traffic',
          name: 'send all traffic back to the previous version',
          details: { weight: 0 },
        });
        break;
      case 'redeploy':
        steps.push({
          ...base,
          id,
          kind: 'deploy',
          name: 'restore the previous version of every component',
          details: { previous: true },
        });
        break;
      case 'migrate-down':
        steps.push({
          ...base,
          id,
          kind: 'migrate',
          name: `migrate ${action.database} down to the previous release (only what this deployment applied)`,
          details: { database: action.database, direction: 'down' },
        });
        break;
      case 'flags-off':
        steps.push({
          ...base,
          id,
          kind: 'flag',
          name: `turn off ${action.flags.join(', ')}`,
          details: { flags: action.flags, set: 'off' },
        });
        break;
      case 'restore-database':
        steps.push({
          ...base,
          id: `${id}-approval`,
          kind: 'approval',
          name: `${action.approval} approves restoring ${action.database}`,
          details: { roles: [action.approval], restore: action.database },
        });
        steps.push({
          ...base,
          id,
          kind: 'backup',
          name: `restore ${action.database} from the pre-deploy backup (after a fresh backup of its current state)`,
          details: { database: action.database, action: 'restore' },
        });
        break;
      case 'command':
        steps.push({
          ...base,
          id,
          kind: 'command',
          name: action.name ?? `run ${action.run}`,
          details: { run: action.run },
        });
        break;
      case 'verify': {
        const checks = action.checks ?? Object.keys(environment.verify ?? {});
        steps.push({
          ...base,
          id,
          kind: 'verify',
          name: `verify the restored version: ${checks.join(', ')}`,
          details: { checks, against: 'production' },
        });
        break;
      }
      case 'notify':
        steps.push({
          ...base,
          id,
          kind: 'notify',
          name: `notify: ${action.message ?? 'deployment rolled back'}`,
          details: {
            message: action.message ?? 'rolled back',
            channels: action.channels ?? environment.notifications?.channels ?? [],
          },
        });
        break;
      case 'incident':
        steps.push({
          ...base,
          id,
          kind: 'notify',
          name: `open a ${action.severity} incident`,
          details: { incident: action.severity },
        });
        break;
    }
  });
  return steps;
}

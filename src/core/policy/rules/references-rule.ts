import type { CompiledEnvironment, CompiledPolicy } from '../compiled-policy.js';
import { checkReference, keysOf, type PolicyRule, type RuleContext } from './rule-context.js';

function componentsOfKind(policy: CompiledPolicy, database: boolean): string[] {
  return Object.entries(policy.components)
    .filter(([, component]) => (component.kind === 'database') === database)
    .map(([name]) => name);
}

function environmentReferences(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
  context: RuleContext,
): void {
  const at = environment.source;
  const environments = policy.environments.map((e) => e.name);
  const databases = componentsOfKind(policy, true);
  const apps = componentsOfKind(policy, false);
  const roles = keysOf(policy.roles);
  const checks = keysOf(policy.checks);
  const analyses = keysOf(policy.analyses);
  const channels = keysOf(policy.channels);
  const flags = keysOf(policy.flags);
  const verifications = keysOf(environment.verify);
  const severities = keysOf(policy.incidents?.severities);

  if (environment.promotion?.from === environment.name) {
    context.error(
      [...at, 'promotion', 'from'],
      'PROMOTION_CYCLE',
      `environment "${environment.name}" promotes from itself`,
      'name the environment a release must pass first, or drop promotion.from',
    );
  } else if (environment.promotion?.from !== 'none') {
    checkReference(
      context,
      [...at, 'promotion', 'from'],
      environment.promotion?.from,
      environments,
      'environment',
      'environments',
    );
  }

  const gates = environment.gates;
  gates?.checks?.forEach((entry, i) => {
    checkReference(
      context,
      [...at, 'gates', 'checks', i],
      typeof entry === 'string' ? entry : entry.check,
      checks,
      'check',
      'checks',
    );
  });
  gates?.approvals?.roles.forEach((role, i) =>
    checkReference(
      context,
      [...at, 'gates', 'approvals', 'roles', i],
      role,
      roles,
      'role',
      'roles',
    ),
  );
  gates?.checklists?.forEach((name, i) =>
    checkReference(
      context,
      [...at, 'gates', 'checklists', i],
      name,
      keysOf(policy.checklists),
      'checklist',
      'checklists',
    ),
  );
  gates?.windows?.forEach((name, i) =>
    checkReference(
      context,
      [...at, 'gates', 'windows', i],
      name,
      keysOf(policy.windows),
      'window',
      'windows',
    ),
  );
  checkReference(
    context,
    [...at, 'gates', 'backup', 'database'],
    gates?.backup?.database,
    databases,
    'database component',
    'components (kind: database)',
  );
  checkReference(
    context,
    [...at, 'gates', 'restoreDrill', 'database'],
    gates?.restoreDrill?.database,
    databases,
    'database component',
    'components (kind: database)',
  );

  const strategy = environment.strategy;
  if (strategy?.type === 'canary') {
    checkReference(
      context,
      [...at, 'strategy', 'analysis'],
      strategy.analysis,
      analyses,
      'analysis',
      'analyses',
    );
    strategy.steps.forEach((step, i) =>
      checkReference(
        context,
        [...at, 'strategy', 'steps', i, 'analysis'],
        step.analysis,
        analyses,
        'analysis',
        'analyses',
      ),
    );
  }

  const ids = new Map<string, number>();
  environment.pipeline.forEach((step, i) => {
    const path = [...at, 'pipeline', i];
    const earlier = ids.get(step.id);
    if (earlier !== undefined) {
      context.error(
        [...path, 'id'],
        'DUPLICATE_NAME',
        `step id "${step.id}" is used twice in ${environment.name} (first at step ${earlier + 1})`,
        'give each step its own id',
      );
    }
    ids.set(step.id, i);
    switch (step.kind) {
      case 'backup':
      case 'migrate':
        checkReference(
          context,
          [...path, 'database'],
          step.database,
          databases,
          'database component',
          'components (kind: database)',
        );
        break;
      case 'deploy':
        step.components.forEach((name, j) =>
          checkReference(
            context,
            [...path, 'components', j],
            name,
            apps,
            'deployable component',
            'components (a database is migrated, not deployed)',
          ),
        );
        break;
      case 'analysis':
        checkReference(
          context,
          [...path, 'analysis'],
          step.analysis,
          analyses,
          'analysis',
          'analyses',
        );
        break;
      case 'checklist':
        checkReference(
          context,
          [...path, 'checklist'],
          step.checklist,
          keysOf(policy.checklists),
          'checklist',
          'checklists',
        );
        break;
      case 'flag':
        checkReference(context, [...path, 'flag'], step.flag, flags, 'flag', 'flags');
        break;
      case 'notify':
        step.channels?.forEach((name, j) =>
          checkReference(context, [...path, 'channels', j], name, channels, 'channel', 'channels'),
        );
        break;
      case 'verify':
        if (verifications.length === 0) {
          context.error(
            path,
            'UNKNOWN_REFERENCE',
            `a verify step runs in ${environment.name}, which defines no verifications`,
            `add named checks under environments[${environment.index}].verify`,
          );
        }
        step.checks?.forEach((name, j) =>
          checkReference(
            context,
            [...path, 'checks', j],
            name,
            verifications,
            'verification',
            `environments[${environment.index}].verify`,
          ),
        );
        break;
      default:
        break;
    }
  });

  for (const [name, verification] of Object.entries(environment.verify ?? {})) {
    if (verification.type === 'bundle') {
      checkReference(
        context,
        [...at, 'verify', name, 'component'],
        verification.component,
        apps,
        'deployable component',
        'components',
      );
    }
  }

  environment.rollback?.actions?.forEach((action, i) => {
    const path = [...at, 'rollback', 'actions', i];
    switch (action.kind) {
      case 'migrate-down':
        checkReference(
          context,
          [...path, 'database'],
          action.database,
          databases,
          'database component',
          'components (kind: database)',
        );
        break;
      case 'restore-database':
        checkReference(
          context,
          [...path, 'database'],
          action.database,
          databases,
          'database component',
          'components (kind: database)',
        );
        checkReference(context, [...path, 'approval'], action.approval, roles, 'role', 'roles');
        break;
      case 'flags-off':
        action.flags.forEach((flag, j) =>
          checkReference(context, [...path, 'flags', j], flag, flags, 'flag', 'flags'),
        );
        break;
      case 'verify':
        action.checks?.forEach((name, j) =>
          checkReference(
            context,
            [...path, 'checks', j],
            name,
            verifications,
            'verification',
            `environments[${environment.index}].verify`,
          ),
        );
        break;
      case 'notify':
        action.channels?.forEach((name, j) =>
          checkReference(context, [...path, 'channels', j], name, channels, 'channel', 'channels'),
        );
        break;
      case 'incident':
        checkReference(
          context,
          [...path, 'severity'],
          action.severity,
          severities,
          'incident severity',
          'incidents.severities',
        );
        break;
      default:
        break;
    }
  });

  environment.notifications?.channels.forEach((name, i) =>
    checkReference(
      context,
      [...at, 'notifications', 'channels', i],
      name,
      channels,
      'channel',
      'channels',
    ),
  );
}

/** Every name the policy uses must be defined, once. */
export const referencesRule: PolicyRule = (policy, context) => {
  const seen = new Map<string, number>();
  for (const environment of policy.environments) {
    const first = seen.get(environment.name);
    if (first !== undefined) {
      context.error(
        [...environment.source, 'name'],
        'DUPLICATE_NAME',
        `environment "${environment.name}" is defined twice (first as environments[${first}])`,
        'rename one of them or merge the two',
      );
    } else {
      seen.set(environment.name, environment.index);
    }
    environmentReferences(policy, environment, context);
  }

  const roles = keysOf(policy.roles);
  for (const [name, checklist] of Object.entries(policy.checklists ?? {})) {
    checkReference(
      context,
      ['checklists', name, 'confirmedBy'],
      checklist.confirmedBy,
      roles,
      'role',
      'roles',
    );
  }
  policy.freezes?.forEach((freeze, i) =>
    freeze.environments?.forEach((name, j) =>
      checkReference(
        context,
        ['freezes', i, 'environments', j],
        name,
        policy.environments.map((e) => e.name),
        'environment',
        'environments',
      ),
    ),
  );
  checkReference(
    context,
    ['waivers', 'approvedBy'],
    policy.waivers?.approvedBy,
    roles,
    'role',
    'roles',
  );
  const severities = keysOf(policy.incidents?.severities);
  policy.incidents?.escalation?.forEach((role, i) =>
    checkReference(context, ['incidents', 'escalation', i], role, roles, 'role', 'roles'),
  );
  checkReference(
    context,
    ['incidents', 'onRollback'],
    policy.incidents?.onRollback,
    severities,
    'incident severity',
    'incidents.severities',
  );
};

import { formatDuration } from '../policy/duration.js';
import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import type { PlanStep } from './plan.js';

const preflight = (step: Omit<PlanStep, 'phase'>): PlanStep => ({ ...step, phase: 'preflight' });

/** The gates of an environment as plan steps, in the order a person would check them. */
export function preflightSteps(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
): PlanStep[] {
  const at = `environments[${environment.index}]`;
  const gates = environment.gates ?? {};
  const steps: PlanStep[] = [];

  if (environment.promotionFrom !== undefined) {
    const bake =
      environment.minBakeMs > 0
        ? ` and has run there for ${formatDuration(environment.minBakeMs)}`
        : '';
    steps.push(
      preflight({
        id: 'gate-promotion',
        kind: 'gate',
        name: `release succeeded in ${environment.promotionFrom}${bake}`,
        details: {
          gate: 'promotion',
          from: environment.promotionFrom,
          minBakeMs: environment.minBakeMs,
        },
        source: `${at}.promotion`,
      }),
    );
  }
  gates.checks?.forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry : entry.check;
    const check = policy.checks?.[name];
    const min = typeof entry === 'string' ? undefined : entry.min;
    let rule = 'passed';
    if (check?.type === 'coverage') rule = `coverage ≥ ${min ?? check.min}%`;
    else if (check?.type === 'score') rule = `score ≥ ${min ?? check.min}`;
    else if (check?.type === 'tests') rule = `≤ ${check.maxFailures ?? 0} failed tests`;
    steps.push(
      preflight({
        id: `gate-check-${name}`,
        kind: 'gate',
        name: `check ${name}: ${rule}`,
        details: {
          gate: 'check',
          check: name,
          type: check?.type ?? 'status',
          ...(min === undefined ? {} : { min }),
        },
        source: `${at}.gates.checks[${i}]`,
      }),
    );
  });
  if (gates.rollbackPlan) {
    steps.push(
      preflight({
        id: 'gate-rollback-plan',
        kind: 'gate',
        name: 'a previous release is known for every component',
        details: { gate: 'rollback-plan' },
        source: `${at}.gates.rollbackPlan`,
      }),
    );
  }
  if (gates.backup) {
    steps.push(
      preflight({
        id: 'gate-backup',
        kind: 'gate',
        name: `verified backup of ${gates.backup.database} younger than ${gates.backup.maxAge}`,
        details: { gate: 'backup', ...gates.backup },
        source: `${at}.gates.backup`,
      }),
    );
  }
  if (gates.restoreDrill) {
    steps.push(
      preflight({
        id: 'gate-restore-drill',
        kind: 'gate',
        name: `restore drill of ${gates.restoreDrill.database} passed within ${gates.restoreDrill.maxAge}`,
        details: { gate: 'restore-drill', ...gates.restoreDrill },
        source: `${at}.gates.restoreDrill`,
      }),
    );
  }
  if (gates.migrationLint) {
    steps.push(
      preflight({
        id: 'gate-migration-lint',
        kind: 'gate',
        name: 'migrations pass the linter',
        details: { gate: 'migration-lint' },
        source: `${at}.gates.migrationLint`,
      }),
    );
  }
  if (gates.drift) {
    steps.push(
      preflight({
        id: 'gate-drift',
        kind: 'gate',
        name: 'live schema matches the migrations',
        details: { gate: 'drift' },
        source: `${at}.gates.drift`,
      }),
    );
  }
  steps.push(
    preflight({
      id: 'gate-blockers',
      kind: 'gate',
      name: `no open blocker on ${environment.name}`,
      details: { gate: 'blockers' },
    }),
  );

  const freezes = (policy.freezes ?? []).filter(
    (f) => !f.environments || f.environments.includes(environment.name),
  );
  if ((gates.windows?.length ?? 0) > 0 || freezes.length > 0) {
    const inside = gates.windows?.length ? `inside ${gates.windows.join(' or ')}` : 'any time';
    steps.push(
      preflight({
        id: 'window',
        kind: 'window',
        name: `${inside}${freezes.length > 0 ? `, outside ${freezes.length} freeze(s)` : ''}`,
        details: { windows: gates.windows ?? [], freezes: freezes.map((f) => f.name ?? f.reason) },
        source: `${at}.gates.windows`,
      }),
    );
  }
  gates.checklists?.forEach((name, i) => {
    const checklist = policy.checklists?.[name];
    steps.push(
      preflight({
        id: `checklist-${name}`,
        kind: 'checklist',
        name: `checklist ${name}: ${checklist?.items.length ?? 0} item(s) confirmed by ${checklist?.confirmedBy ?? '?'}`,
        details: {
          checklist: name,
          confirmedBy: checklist?.confirmedBy,
          items: checklist?.items ?? [],
        },
        source: `${at}.gates.checklists[${i}]`,
      }),
    );
  });
  if (gates.approvals) {
    steps.push(
      preflight({
        id: 'approval',
        kind: 'approval',
        name: `approved by ${gates.approvals.roles.join(' + ')} (different people, never the requester)`,
        details: { roles: gates.approvals.roles, ttl: gates.approvals.ttl },
        source: `${at}.gates.approvals`,
      }),
    );
  }
  return steps;
}

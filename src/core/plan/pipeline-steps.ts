import { formatDuration, parseDuration } from '../policy/duration.js';
import type {
  CompiledEnvironment,
  CompiledPolicy,
  CompiledStep,
} from '../policy/compiled-policy.js';
import { formatPath } from '../policy/policy-issue.js';
import type { PlanStep, PlanStepKind } from './plan.js';

interface StepBase {
  readonly id: string;
  readonly kind: PlanStepKind;
  readonly name: string;
  readonly details: Readonly<Record<string, unknown>>;
}

function fromPolicy(step: CompiledStep, base: StepBase): PlanStep {
  const timeoutMs = step.timeout === undefined ? undefined : parseDuration(step.timeout);
  return {
    ...base,
    name: step.name ?? base.name,
    phase: 'deploy',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(step.retries === undefined ? {} : { retries: step.retries }),
    ...(step.continueOnError === undefined ? {} : { continueOnError: step.continueOnError }),
    source: formatPath(step.source),
  };
}

function rolloutSteps(environment: CompiledEnvironment, step: CompiledStep): PlanStep[] {
  const strategy = environment.strategy;
  const source = formatPath(step.source);
  const make = (base: StepBase): PlanStep => ({ ...base, phase: 'deploy', source });
  if (strategy?.type === 'blue-green') {
    return [
      make({
        id: `${step.id}-switch`,
        kind: 'traffic',
        name: 'switch all traffic to the new version (green)',
        details: { weight: 100, switch: true },
      }),
    ];
  }
  if (strategy?.type !== 'canary') return [];
  const steps: PlanStep[] = [];
  for (const [i, canary] of strategy.steps.entries()) {
    const n = i + 1;
    steps.push(
      make({
        id: `${step.id}-${n}-traffic-${canary.weight}`,
        kind: 'traffic',
        name: `send ${canary.weight}% of traffic to the new version`,
        details: { weight: canary.weight, by: strategy.by ?? 'weight' },
      }),
    );
    const analysis = canary.analysis ?? strategy.analysis;
    const pauseMs =
      canary.pause === undefined || canary.pause === 'manual'
        ? undefined
        : parseDuration(canary.pause);
    if (analysis !== undefined && canary.weight < 100) {
      steps.push(
        make({
          id: `${step.id}-${n}-analysis`,
          kind: 'analysis',
          name: `analyse ${analysis} at ${canary.weight}%${pauseMs ? ` for ${formatDuration(pauseMs)}` : ''}`,
          details: { analysis, weight: canary.weight, durationMs: pauseMs },
        }),
      );
    } else if (pauseMs !== undefined) {
      steps.push(
        make({
          id: `${step.id}-${n}-bake`,
          kind: 'bake',
          name: `hold at ${canary.weight}% for ${formatDuration(pauseMs)}`,
          details: { durationMs: pauseMs, weight: canary.weight },
        }),
      );
    }
    if (canary.pause === 'manual') {
      steps.push(
        make({
          id: `${step.id}-${n}-promote`,
          kind: 'approval',
          name: `wait at ${canary.weight}% until someone runs deployment promote`,
          details: { promote: true, weight: canary.weight },
        }),
      );
    }
  }
  return steps;
}

function deployName(environment: CompiledEnvironment, components: readonly string[]): string {
  const list = components.join(', ');
  switch (environment.strategy?.type) {
    case 'blue-green':
      return `start ${list} (green) beside the current version (blue)`;
    case 'canary':
      return `start ${list} as the canary beside the stable version`;
    case 'rolling':
      return `roll ${list} out instance by instance`;
    default:
      return `replace ${list} with the new version`;
  }
}

/** One pipeline step of the policy as one or more plan steps (a rollout expands into the strategy). */
export function pipelineSteps(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
  step: CompiledStep,
): PlanStep[] {
  switch (step.kind) {
    case 'maintenance':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'maintenance',
          name: `maintenance mode ${step.mode}`,
          details: { mode: step.mode, message: step.message },
        }),
      ];
    case 'backup':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'backup',
          name: `back up ${step.database}${step.verify === false ? '' : ' and verify the dump'}`,
          details: { database: step.database, verify: step.verify ?? true },
        }),
      ];
    case 'migrate': {
      const database = policy.components[step.database];
      const tool = database?.kind === 'database' ? database.migrations?.tool : undefined;
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'migrate',
          name: `migrate ${step.database}${tool ? ` (${tool})` : ''}`,
          details: { database: step.database, direction: 'up', tool },
        }),
      ];
    }
    case 'deploy':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'deploy',
          name: deployName(environment, step.components),
          details: {
            components: step.components,
            strategy: environment.strategy?.type ?? 'recreate',
          },
        }),
      ];
    case 'verify': {
      const checks = step.checks ?? Object.keys(environment.verify ?? {});
      const against = step.against ?? 'production';
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'verify',
          name: `verify ${against === 'new' ? 'the new version alone' : 'production'}: ${checks.join(', ')}`,
          details: { checks, against },
        }),
      ];
    }
    case 'traffic':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'traffic',
          name: `send ${step.weight}% of traffic to the new version`,
          details: { weight: step.weight },
        }),
      ];
    case 'rollout':
      return rolloutSteps(environment, step);
    case 'analysis': {
      const durationMs = step.duration === undefined ? undefined : parseDuration(step.duration);
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'analysis',
          name: durationMs
            ? `monitor ${step.analysis} for ${formatDuration(durationMs)}`
            : `analyse ${step.analysis}`,
          details: { analysis: step.analysis, durationMs },
        }),
      ];
    }
    case 'bake':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'bake',
          name: `bake for ${step.duration}`,
          details: { durationMs: parseDuration(step.duration) },
        }),
      ];
    case 'cache':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'cache',
          name: `${step.action} cache (${step.provider})${step.paths ? `: ${step.paths.join(' ')}` : ''}`,
          details: {
            action: step.action,
            provider: step.provider,
            paths: step.paths ?? [],
            zone: step.zone,
            token: step.token,
            run: step.run,
          },
        }),
      ];
    case 'flag': {
      const value =
        typeof step.set === 'string'
          ? step.set
          : [
              step.set.percentage === undefined ? '' : `${step.set.percentage}%`,
              step.set.tenants ? `tenants ${step.set.tenants.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join(' + ');
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'flag',
          name: `flag ${step.flag} → ${value}`,
          details: { flag: step.flag, set: step.set },
        }),
      ];
    }
    case 'notify':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'notify',
          name: `notify: ${step.message}`,
          details: {
            message: step.message,
            channels: step.channels ?? environment.notifications?.channels ?? [],
          },
        }),
      ];
    case 'command':
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'command',
          name: step.name ?? `run ${step.run}`,
          details: { run: step.run, cwd: step.cwd, env: step.env },
        }),
      ];
    case 'checklist': {
      const checklist = policy.checklists?.[step.checklist];
      return [
        fromPolicy(step, {
          id: step.id,
          kind: 'checklist',
          name: `checklist ${step.checklist} confirmed by ${checklist?.confirmedBy ?? '?'}`,
          details: {
            checklist: step.checklist,
            confirmedBy: checklist?.confirmedBy,
            items: checklist?.items ?? [],
          },
        }),
      ];
    }
  }
}

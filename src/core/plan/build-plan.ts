import { valid } from 'semver';
import { invalidInput } from '../errors/eclusa-error.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import { findEnvironment } from '../policy/compiled-policy.js';
import type { Plan, PlanStep } from './plan.js';
import { pipelineSteps } from './pipeline-steps.js';
import { preflightSteps } from './preflight-steps.js';
import { notifyEvents } from './notify-events.js';
import { rollbackSteps } from './rollback-steps.js';
import { ROLLBACK_TRIGGERS } from '../policy/schema/environment.js';

export interface PlanRequest {
  readonly release: string;
  readonly environment: string;
}

/**
 * The ordered steps a deployment of `release` to `environment` runs, and the rollback path
 * it would take. A pure function of the policy and the request.
 */
export function buildPlan(policy: CompiledPolicy, request: PlanRequest): Plan {
  if (valid(request.release) === null) {
    throw invalidInput('INVALID_VERSION', `"${request.release}" is not a SemVer version`, {
      hint: 'use MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1',
    });
  }
  const environment = findEnvironment(policy, request.environment);
  if (!environment) {
    throw invalidInput(
      'UNKNOWN_ENVIRONMENT',
      `environment "${request.environment}" is not in ${policy.file}`,
      {
        hint: `known environments: ${policy.environments.map((e) => e.name).join(', ')}`,
      },
    );
  }
  const notifyOn = notifyEvents(environment);
  const channels = environment.notifications?.channels ?? [];
  const steps: PlanStep[] = preflightSteps(policy, environment);
  if (channels.length > 0 && notifyOn.includes('started')) {
    steps.push({
      id: 'notify-started',
      kind: 'notify',
      name: `notify ${channels.join(', ')}: deployment of ${request.release} started`,
      phase: 'deploy',
      details: { event: 'started', channels },
    });
  }
  for (const step of environment.pipeline) steps.push(...pipelineSteps(policy, environment, step));
  if (channels.length > 0 && notifyOn.includes('succeeded')) {
    steps.push({
      id: 'notify-succeeded',
      kind: 'notify',
      name: `notify ${channels.join(', ')}: ${request.release} is live in ${environment.name}`,
      phase: 'deploy',
      details: { event: 'succeeded', channels },
    });
  }
  return {
    release: request.release,
    environment: environment.name,
    tier: environment.tier,
    policyDigest: policy.digest,
    strategy: environment.strategy?.type ?? 'recreate',
    steps,
    rollback: {
      automatic: environment.rollback?.automatic ?? true,
      triggers: environment.rollback?.triggers ?? [...ROLLBACK_TRIGGERS],
      // The incident is told first: a rollback that fails later must not leave people unaware.
      steps: [
        ...(channels.length > 0 && notifyOn.includes('incident')
          ? [
              {
                id: 'rollback-notify-incident',
                kind: 'notify' as const,
                name: `notify ${channels.join(', ')}: incident opened`,
                phase: 'rollback' as const,
                details: { event: 'incident', channels },
                continueOnError: true,
              },
            ]
          : []),
        ...rollbackSteps(policy, environment),
      ],
    },
  };
}

import type { AuditActor } from '../audit/audit-event.js';
import type { PlanStep } from '../plan/plan.js';
import type { RunnerOptions } from './deployment-runner.js';
import { environmentStore } from './environment-store.js';
import type { LoadedRun } from './run-persistence.js';
import { currentSteps } from './run-state.js';
import { runWithDeadline } from './step-deadline.js';
import type { StepContext, StepOutcome } from './step-executor.js';

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs one plan step's executor with the step's deadline and retries, in the context it
 * sees (the run, the release, the environment's ports). Errors leave redacted.
 */
export async function executeStep(
  options: RunnerOptions,
  actor: AuditActor,
  run: LoadedRun,
  step: PlanStep,
): Promise<StepOutcome> {
  const executor = options.executors[step.kind];
  if (!executor)
    return {
      kind: 'failed',
      error: `no executor for ${step.kind} steps in this version of eclusa`,
    };
  const environment = options.policy.environments.find(
    (e) => e.name === run.deployment.environment,
  );
  if (!environment)
    return {
      kind: 'failed',
      error: `environment ${run.deployment.environment} is no longer in the policy`,
    };
  const release = await options.store.read((r) => r.getRelease(run.deployment.release));
  if (!release)
    return {
      kind: 'failed',
      error: `release ${run.deployment.release} is missing from the store`,
    };
  const ports = options.ports(environment.name);
  const envStore = environmentStore(
    options.store,
    options.audit,
    options.clock,
    actor,
    environment.name,
    run.deployment.id,
  );
  const attempts = (step.retries ?? 0) + 1;
  let last: StepOutcome = { kind: 'failed', error: 'not run' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const state = currentSteps(run.state).find((s) => s.id === step.id)!;
    last = await runWithDeadline(
      step.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      (signal): Promise<StepOutcome> => {
        const context: StepContext = {
          step,
          state,
          run: run.state,
          plan: run.plan,
          deployment: run.deployment,
          release,
          policy: options.policy,
          environment,
          clock: options.clock,
          ports,
          signal,
          log: (line) =>
            options.onEvent?.({
              kind: 'log',
              step: step.id,
              line: ports.secrets.redact(line),
            }),
          read: (fn) => options.store.read(fn),
          updateEnvironment: (change) => envStore.update(change),
          environmentState: () => envStore.get(),
        };
        return executor(context);
      },
    );
    if (last.kind === 'failed') last = { ...last, error: ports.secrets.redact(last.error) };
    if (last.kind !== 'failed' || attempt === attempts) break;
    options.onEvent?.({
      kind: 'log',
      step: step.id,
      line: `attempt ${attempt} failed (${last.error}); retrying`,
    });
  }
  return last;
}

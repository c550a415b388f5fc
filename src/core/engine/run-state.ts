import type { Plan, PlanStep } from '../plan/plan.js';
import type { DeploymentStatus } from '../store/records.js';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** One plan step as it runs: persisted before and after it acts. */
export interface StepState {
  readonly id: string;
  readonly kind: PlanStep['kind'];
  readonly name: string;
  readonly status: StepStatus;
  /** How many times the step started (a restart after a crash counts). */
  readonly attempt: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** A waiting step (bake, pause, checklist) is looked at again from this instant. */
  readonly wakeAt?: string;
  /** Why the step waits, in words ("bake until 14:05", "until someone runs promote"). */
  readonly waiting?: string;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

export type RollbackTrigger =
  'step-failed' | 'verification-failed' | 'analysis-failed' | 'monitoring-failed' | 'manual';

/** Requests people make while a deployment runs; the runner acts on them between steps. */
export interface RunControl {
  readonly pause?: { readonly by: string; readonly at: string };
  readonly abort?: { readonly by: string; readonly at: string; readonly reason: string };
  readonly rollback?: { readonly by: string; readonly at: string; readonly reason: string };
  /** Each promote moves one manual pause on; `full` skips the remaining canary steps. */
  readonly promotes?: readonly {
    readonly by: string;
    readonly at: string;
    readonly full: boolean;
  }[];
}

/** The engine's durable state of a deployment: a JSON document replaced whole at each change. */
export interface RunState {
  readonly status: DeploymentStatus;
  readonly phase: 'deploy' | 'rollback';
  readonly steps: readonly StepState[];
  readonly rollbackSteps: readonly StepState[];
  readonly control: RunControl;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Why a rollback started: the trigger, the step and its error. */
  readonly rollbackCause?: {
    readonly trigger: RollbackTrigger;
    readonly step?: string;
    readonly message: string;
    readonly at: string;
  };
  /** One sentence on how it ended. */
  readonly outcome?: string;
}

function pendingStep(step: PlanStep): StepState {
  return { id: step.id, kind: step.kind, name: step.name, status: 'pending', attempt: 0 };
}

/** A fresh run of `plan`: preflight steps already judged (they passed, or nothing was created). */
export function initialRunState(
  plan: Plan,
  preflight: { readonly at: string; readonly gates: readonly unknown[] },
): RunState {
  return {
    status: 'queued',
    phase: 'deploy',
    steps: plan.steps.map((step) =>
      step.phase === 'preflight'
        ? {
            ...pendingStep(step),
            status: 'succeeded',
            attempt: 1,
            startedAt: preflight.at,
            finishedAt: preflight.at,
          }
        : pendingStep(step),
    ),
    rollbackSteps: plan.rollback.steps.map(pendingStep),
    control: {},
  };
}

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
];

export function isTerminal(status: DeploymentStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The steps of the phase that runs now. */
export function currentSteps(state: RunState): readonly StepState[] {
  return state.phase === 'deploy' ? state.steps : state.rollbackSteps;
}

/** The first step of the current phase that has not ended; undefined when the phase is done. */
export function nextStep(state: RunState): StepState | undefined {
  return currentSteps(state).find((s) => s.status === 'pending' || s.status === 'running');
}

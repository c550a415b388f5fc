import type { DeploymentStatus } from '../store/records.js';
import type { RollbackTrigger, RunControl, RunState, StepState } from './run-state.js';

/** Everything that can happen to a run; the runner persists the state each event yields. */
export type RunEvent =
  | { readonly kind: 'started'; readonly at: string }
  | { readonly kind: 'step-started'; readonly step: string; readonly at: string }
  | {
      readonly kind: 'step-waiting';
      readonly step: string;
      readonly until: string;
      readonly reason: string;
      readonly output?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'step-finished';
      readonly step: string;
      readonly status: 'succeeded' | 'failed' | 'skipped';
      readonly at: string;
      readonly output?: Readonly<Record<string, unknown>>;
      readonly error?: string;
    }
  | {
      readonly kind: 'rollback-started';
      readonly trigger: RollbackTrigger;
      readonly step?: string;
      readonly message: string;
      readonly at: string;
    }
  | { readonly kind: 'paused'; readonly at: string }
  | { readonly kind: 'resumed'; readonly at: string }
  | { readonly kind: 'control'; readonly control: RunControl }
  | {
      readonly kind: 'finished';
      readonly status: DeploymentStatus;
      readonly at: string;
      readonly outcome: string;
    };

function updateStep(state: RunState, id: string, change: (step: StepState) => StepState): RunState {
  const apply = (steps: readonly StepState[]): readonly StepState[] =>
    steps.map((s) => (s.id === id ? change(s) : s));
  return state.phase === 'deploy'
    ? { ...state, steps: apply(state.steps) }
    : { ...state, rollbackSteps: apply(state.rollbackSteps) };
}

function withoutWait(step: StepState): StepState {
  const { wakeAt: _wake, waiting: _why, ...rest } = step;
  return rest;
}

/** The pure transition function of a deployment run: (state, event) → state. */
export function applyRunEvent(state: RunState, event: RunEvent): RunState {
  switch (event.kind) {
    case 'started':
      return { ...state, status: 'running', startedAt: state.startedAt ?? event.at };
    case 'step-started':
      return updateStep(state, event.step, (s) => ({
        ...withoutWait(s),
        status: 'running',
        attempt: s.attempt + 1,
        startedAt: s.startedAt ?? event.at,
      }));
    case 'step-waiting':
      return updateStep(state, event.step, (s) => ({
        ...s,
        wakeAt: event.until,
        waiting: event.reason,
        ...(event.output ? { output: { ...s.output, ...event.output } } : {}),
      }));
    case 'step-finished':
      return updateStep(state, event.step, (s) => {
        const { error: _previous, ...rest } = withoutWait(s);
        return {
          ...rest,
          status: event.status,
          finishedAt: event.at,
          ...(event.output ? { output: { ...s.output, ...event.output } } : {}),
          ...(event.error === undefined ? {} : { error: event.error }),
        };
      });
    case 'rollback-started':
      return {
        ...state,
        phase: 'rollback',
        status: 'running',
        // Steps of the deploy phase that never ran are skipped, not left pending.
        steps: state.steps.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped' } : s)),
        rollbackCause: {
          trigger: event.trigger,
          ...(event.step === undefined ? {} : { step: event.step }),
          message: event.message,
          at: event.at,
        },
      };
    case 'paused':
      return { ...state, status: 'paused' };
    case 'resumed': {
      const { pause: _pause, ...control } = state.control;
      return { ...state, status: 'running', control };
    }
    case 'control':
      return { ...state, control: event.control };
    case 'finished': {
      const skip = (steps: readonly StepState[]): readonly StepState[] =>
        steps.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped' } : s));
      return {
        ...state,
        status: event.status,
        finishedAt: event.at,
        outcome: event.outcome,
        steps: skip(state.steps),
        rollbackSteps: state.phase === 'rollback' ? skip(state.rollbackSteps) : state.rollbackSteps,
      };
    }
  }
}

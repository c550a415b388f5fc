import type { Plan } from '../plan/plan.js';
import { deployedComponents } from './deployed-components.js';
import type { RunState } from './run-state.js';

/**
 * The first version of a component has nothing to be compared with or fall back to: like
 * Argo Rollouts' initial deploy, it goes to 100 % at once once its deploy steps are done.
 */
function firstRelease(state: RunState): boolean {
  const deploys = state.steps.filter((s) => s.kind === 'deploy');
  if (deploys.length === 0 || deploys.some((s) => s.status !== 'succeeded')) return false;
  return Object.values(deployedComponents(state)).every((d) => d.from === undefined);
}

/**
 * `deployment promote --full`: the canary steps still ahead (traffic shares, analyses, bakes,
 * manual pauses of the rollout) are skipped, except its last traffic step, which sends all
 * traffic to the new version — and so for a first release. Returns the ids to skip.
 */
export function stepsSkippedByFullPromote(plan: Plan, state: RunState): string[] {
  const full = (state.control.promotes ?? []).some((p) => p.full);
  if (!(full || firstRelease(state)) || state.phase !== 'deploy') return [];
  const open = new Set(
    state.steps.filter((s) => s.status === 'pending' || s.status === 'running').map((s) => s.id),
  );
  const skipped: string[] = [];
  const rollouts = new Set(
    plan.steps
      .filter((s) => s.kind === 'traffic' && s.details['by'] !== undefined && s.source)
      .map((s) => s.source),
  );
  for (const source of rollouts) {
    const steps = plan.steps.filter(
      (s) => s.source === source && ['traffic', 'analysis', 'bake', 'approval'].includes(s.kind),
    );
    const last = steps.filter((s) => s.kind === 'traffic').at(-1);
    for (const step of steps) if (step !== last && open.has(step.id)) skipped.push(step.id);
  }
  return skipped;
}

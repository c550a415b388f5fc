import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import type { Plan, PlanStep } from '../../src/core/plan/plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

/** Loads examples/<name>/eclusa.yaml, failing the test on any error or warning. */
export async function loadExample(name: string): Promise<CompiledPolicy> {
  const file = fileURLToPath(new URL(`../../examples/${name}/eclusa.yaml`, import.meta.url));
  const result = await loadPolicyFile(file);
  expect(result.errors).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.warnings).toEqual([]);
  if (!result.ok) throw new Error(`examples/${name}/eclusa.yaml is invalid`);
  return result.policy;
}

/** The plan of release 1.0.0 of an example into one of its environments. */
export async function planExample(name: string, environment: string): Promise<Plan> {
  return buildPlan(await loadExample(name), { release: '1.0.0', environment });
}

/** Index of the one step matching `predicate`; fails the test when there is none. */
export function indexOf(
  steps: readonly PlanStep[],
  predicate: (step: PlanStep) => boolean,
): number {
  const index = steps.findIndex(predicate);
  expect(index, 'expected step not found in the plan').toBeGreaterThanOrEqual(0);
  return index;
}

export function indexesOf(
  steps: readonly PlanStep[],
  predicate: (step: PlanStep) => boolean,
): number[] {
  return steps.flatMap((step, i) => (predicate(step) ? [i] : []));
}

import type { PlanStep } from '../plan/plan.js';

/** A text detail of a plan step (numbers as text); undefined when absent or not scalar. */
export function textDetail(step: PlanStep, key: string): string | undefined {
  const value = step.details[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

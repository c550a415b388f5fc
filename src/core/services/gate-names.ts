import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';

/** The names of every gate an environment has, as `eclusa gates` reports them. */
export function gateNames(_policy: CompiledPolicy, environment: CompiledEnvironment): string[] {
  const gates = environment.gates ?? {};
  const names: string[] = [];
  if (environment.promotionFrom !== undefined) names.push('promotion');
  for (const entry of gates.checks ?? [])
    names.push(`check:${typeof entry === 'string' ? entry : entry.check}`);
  if (gates.rollbackPlan) names.push('rollback-plan');
  if (gates.backup) names.push('backup');
  if (gates.restoreDrill) names.push('restore-drill');
  if (gates.migrationLint) names.push('migration-lint');
  if (gates.drift) names.push('drift');
  names.push('blockers', 'window');
  for (const name of gates.checklists ?? []) names.push(`checklist:${name}`);
  if (gates.approvals) names.push('approvals');
  return names;
}

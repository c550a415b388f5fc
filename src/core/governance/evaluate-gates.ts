import { formatDuration } from '../policy/duration.js';
import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import { evaluateQuorum } from './approval-quorum.js';
import { evaluateCheck } from './check-gate.js';
import { backupGate, driftGate, restoreDrillGate } from './database-gates.js';
import type { GateInputs } from './gate-inputs.js';
import { UNWAIVABLE_GATES, type GateResult } from './gate-result.js';
import { migrationLintGate } from './migration-lint-gate.js';
import { windowVerdict } from './window-status.js';

function promotionGate(
  environment: CompiledEnvironment,
  inputs: GateInputs,
): GateResult | undefined {
  const from = environment.promotionFrom;
  if (from === undefined) return undefined;
  const latest = inputs.releaseDeployments.filter((d) => d.environment === from).at(-1);
  if (!latest)
    return {
      name: 'promotion',
      status: 'pending',
      reason: `${inputs.release.version} has not been deployed to ${from} yet`,
    };
  if (latest.status !== 'succeeded')
    return {
      name: 'promotion',
      status:
        latest.status === 'failed' || latest.status === 'rolled_back' || latest.status === 'aborted'
          ? 'fail'
          : 'pending',
      reason: `its latest deployment to ${from} is ${latest.status}`,
    };
  const finished = Date.parse(latest.finishedAt ?? latest.createdAt);
  const baked = inputs.now.getTime() - finished;
  if (baked < environment.minBakeMs) {
    return {
      name: 'promotion',
      status: 'pending',
      reason: `running in ${from} for ${formatDuration(Math.max(0, baked - (baked % 60_000)))} of the ${formatDuration(environment.minBakeMs)} required`,
    };
  }
  return {
    name: 'promotion',
    status: 'pass',
    reason: `succeeded in ${from}${environment.minBakeMs > 0 ? ` and baked ${formatDuration(environment.minBakeMs)}` : ''}`,
  };
}

function rollbackPlanGate(
  policy: CompiledPolicy,
  inputs: GateInputs,
  environment: string,
): GateResult {
  const previous = inputs.previousRelease;
  if (!previous) {
    return {
      name: 'rollback-plan',
      status: 'fail',
      reason: `no previous release is known in ${environment}, so there is nothing to roll back to (record the running version, or waive this gate for a first release)`,
    };
  }
  const deployable = inputs.release.artifacts.filter(
    (a) => policy.components[a.component]?.kind !== 'database',
  );
  const missing = deployable
    .filter((a) => !previous.artifacts.some((p) => p.component === a.component))
    .map((a) => a.component);
  if (missing.length > 0)
    return {
      name: 'rollback-plan',
      status: 'fail',
      reason: `previous release ${previous.version} has no artifact for ${missing.join(', ')}`,
    };
  return {
    name: 'rollback-plan',
    status: 'pass',
    reason: `rolls back to ${previous.version} (${previous.artifacts.map((a) => `${a.component}@${a.digest ?? a.ref}`).join(', ')})`,
  };
}

function checklistGate(policy: CompiledPolicy, name: string, inputs: GateInputs): GateResult {
  const checklist = policy.checklists?.[name];
  const items = checklist?.items ?? [];
  const members = policy.roles?.[checklist?.confirmedBy ?? '']?.members ?? [];
  const confirmed = items.filter((item) =>
    inputs.confirmations.some(
      (c) => c.checklist === name && c.item === item && members.includes(c.actor),
    ),
  );
  if (confirmed.length === items.length) {
    const by = [
      ...new Set(inputs.confirmations.filter((c) => c.checklist === name).map((c) => c.actor)),
    ];
    return {
      name: `checklist:${name}`,
      status: 'pass',
      reason: `${items.length} item(s) confirmed by ${by.join(', ')}`,
    };
  }
  const open = items.filter((item) => !confirmed.includes(item));
  return {
    name: `checklist:${name}`,
    status: 'pending',
    reason: `${confirmed.length}/${items.length} confirmed by ${checklist?.confirmedBy ?? '?'}; open: ${open.join('; ')}`,
  };
}

/**
 * Every gate the policy gives `environment`, judged for one release at `inputs.now`:
 * pass | fail | waived | pending, each with why. Pure.
 */
export function evaluateGates(
  policy: CompiledPolicy,
  environment: CompiledEnvironment,
  inputs: GateInputs,
): GateResult[] {
  const gates = environment.gates ?? {};
  const results: GateResult[] = [];
  const promotion = promotionGate(environment, inputs);
  if (promotion) results.push(promotion);
  for (const entry of gates.checks ?? []) {
    const name = typeof entry === 'string' ? entry : entry.check;
    results.push(
      evaluateCheck(policy, name, typeof entry === 'string' ? undefined : entry.min, inputs.checks),
    );
  }
  if (gates.rollbackPlan) results.push(rollbackPlanGate(policy, inputs, environment.name));
  if (gates.backup) results.push(backupGate(gates.backup, environment.name, inputs));
  if (gates.restoreDrill)
    results.push(restoreDrillGate(gates.restoreDrill, environment.name, inputs));
  if (gates.migrationLint) results.push(migrationLintGate(inputs.migrationLint));
  if (gates.drift) results.push(driftGate(policy, environment.name, inputs));
  const blockers = inputs.openBlockers;
  results.push(
    blockers.length === 0
      ? { name: 'blockers', status: 'pass', reason: `no open blocker on ${environment.name}` }
      : {
          name: 'blockers',
          status: 'fail',
          reason: `blocked by ${blockers.map((b) => `${b.createdBy} (${b.id}): ${b.reason}`).join('; ')}`,
        },
  );
  const freezes = (policy.freezes ?? []).filter(
    (f) => !f.environments || f.environments.includes(environment.name),
  );
  if ((gates.windows?.length ?? 0) > 0 || freezes.length > 0) {
    const verdict = windowVerdict(policy, environment.name, inputs.now);
    results.push({
      name: 'window',
      status: verdict.open ? 'pass' : 'fail',
      reason: verdict.reason,
    });
  }
  for (const name of gates.checklists ?? []) results.push(checklistGate(policy, name, inputs));
  if (gates.approvals) {
    const members = Object.fromEntries(
      Object.entries(policy.roles ?? {}).map(([role, def]) => [role, def.members]),
    );
    results.push(
      evaluateQuorum({
        roles: gates.approvals.roles,
        members,
        ...(gates.approvals.ttl === undefined ? {} : { ttl: gates.approvals.ttl }),
        approvals: inputs.approvals,
        excluded: [
          inputs.release.owner,
          ...(inputs.requester === undefined ? [] : [inputs.requester]),
        ],
        now: inputs.now,
      }),
    );
  }
  return results.map((result) => applyWaiver(result, inputs));
}

function applyWaiver(result: GateResult, inputs: GateInputs): GateResult {
  if (result.status === 'pass' || UNWAIVABLE_GATES.includes(result.name)) return result;
  const waiver = inputs.waivers.find(
    (w) =>
      w.gate === result.name &&
      w.approvedBy !== undefined &&
      (w.expiresAt === undefined || Date.parse(w.expiresAt) > inputs.now.getTime()),
  );
  if (!waiver?.approvedBy) return result;
  return {
    name: result.name,
    status: 'waived',
    reason: `waived by ${waiver.approvedBy} (${waiver.id}): ${waiver.justification}; accepted risk: ${waiver.risk}; was: ${result.reason}`,
    waiver: {
      id: waiver.id,
      approvedBy: waiver.approvedBy,
      justification: waiver.justification,
      risk: waiver.risk,
    },
  };
}

export function gatesPass(results: readonly GateResult[]): boolean {
  return results.every((result) => result.status === 'pass' || result.status === 'waived');
}

import { formatDuration, parseDuration } from '../policy/duration.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { GateInputs } from './gate-inputs.js';
import type { GateResult } from './gate-result.js';

/*
 * The database gates, judged from the records backups, drills and drift checks leave in
 * the environment being deployed to. No record yet is `pending` (a backup, a drill or a
 * check can still make it pass); a stale or failed one is `fail`.
 */

function age(now: Date, at: string): string {
  const ms = Math.max(0, now.getTime() - Date.parse(at));
  return formatDuration(ms - (ms % 1000)) || '0s';
}

/** A verified backup of `database`, still on disk, younger than `maxAge`. */
export function backupGate(
  gate: { database: string; maxAge: string },
  environment: string,
  inputs: GateInputs,
): GateResult {
  const newest = (inputs.database?.backups ?? [])
    .filter(
      (b) => b.database === gate.database && b.status === 'verified' && b.prunedAt === undefined,
    )
    .at(-1);
  if (!newest)
    return {
      name: 'backup',
      status: 'pending',
      reason: `no verified backup of ${gate.database} in ${environment} yet (eclusa backup run --env ${environment} --database ${gate.database})`,
    };
  const maxMs = parseDuration(gate.maxAge) ?? 0;
  const fresh = inputs.now.getTime() - Date.parse(newest.finishedAt) <= maxMs;
  return {
    name: 'backup',
    status: fresh ? 'pass' : 'fail',
    reason: `newest verified backup of ${gate.database} (${newest.id}, ${newest.finishedAt}) is ${age(inputs.now, newest.finishedAt)} old; at most ${gate.maxAge} allowed`,
  };
}

/** The latest restore drill of `database` passed, and is younger than `maxAge`. */
export function restoreDrillGate(
  gate: { database: string; maxAge: string },
  environment: string,
  inputs: GateInputs,
): GateResult {
  const latest = (inputs.database?.drills ?? []).filter((d) => d.database === gate.database).at(-1);
  if (!latest)
    return {
      name: 'restore-drill',
      status: 'pending',
      reason: `no restore drill of ${gate.database} in ${environment} yet (eclusa backup drill --env ${environment} --database ${gate.database})`,
    };
  if (latest.status !== 'passed') {
    const mismatched = latest.mismatches.map((m) => m.table);
    return {
      name: 'restore-drill',
      status: 'fail',
      reason: `the latest restore drill of ${gate.database} (${latest.id}, ${latest.startedAt}) ${latest.status === 'unverified' ? 'could not compare rows' : 'failed'}${mismatched.length > 0 ? `: tables differ: ${mismatched.slice(0, 5).join(', ')}${mismatched.length > 5 ? ` and ${mismatched.length - 5} more` : ''}` : latest.error ? `: ${latest.error}` : ''}`,
    };
  }
  const maxMs = parseDuration(gate.maxAge) ?? 0;
  const fresh = inputs.now.getTime() - Date.parse(latest.finishedAt) <= maxMs;
  return {
    name: 'restore-drill',
    status: fresh ? 'pass' : 'fail',
    reason: `restore drill of ${gate.database} passed ${age(inputs.now, latest.finishedAt)} ago (${latest.id}: RTO ${formatDuration(latest.rtoMs ?? 0)}, RPO ${formatDuration(latest.rpoMs - (latest.rpoMs % 1000)) || '0s'}); at most ${gate.maxAge} allowed`,
  };
}

/** The latest drift check of every PostgreSQL database on the built-in runner is clean. */
export function driftGate(
  policy: CompiledPolicy,
  environment: string,
  inputs: GateInputs,
): GateResult {
  const checks = inputs.database?.driftChecks ?? [];
  const databases = new Set(checks.map((c) => c.database));
  for (const [name, component] of Object.entries(policy.components)) {
    if (
      component.kind === 'database' &&
      component.engine === 'postgres' &&
      component.migrations?.tool === 'sql'
    )
      databases.add(name);
  }
  const unchecked: string[] = [];
  const drifted: string[] = [];
  const clean: string[] = [];
  for (const database of [...databases].sort()) {
    const latest = checks.filter((c) => c.database === database).at(-1);
    if (!latest) unchecked.push(database);
    else if (latest.status === 'clean') clean.push(`${database} (${latest.checkedAt})`);
    else {
      const objects = latest.differences.map((d) => `${d.change} ${d.object}`);
      drifted.push(
        `${database}: ${objects.slice(0, 5).join(', ')}${objects.length > 5 ? ` and ${objects.length - 5} more` : ''}`,
      );
    }
  }
  if (drifted.length > 0)
    return {
      name: 'drift',
      status: 'fail',
      reason: `the live schema differs from the migrations — ${drifted.join('; ')} (eclusa migrate adopt records a manual change as a migration)`,
    };
  if (unchecked.length > 0 || databases.size === 0)
    return {
      name: 'drift',
      status: 'pending',
      reason:
        databases.size === 0
          ? 'no schema drift check recorded yet'
          : `no drift check of ${unchecked.join(', ')} in ${environment} yet (eclusa migrate drift --env ${environment})`,
    };
  return {
    name: 'drift',
    status: 'pass',
    reason: `schema matches the migrations: ${clean.join(', ')}`,
  };
}

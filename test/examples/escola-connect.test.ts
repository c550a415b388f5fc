import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import type { PlanStep } from '../../src/core/plan/plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

const file = fileURLToPath(new URL('../../examples/escola-connect/eclusa.yaml', import.meta.url));

async function load(): Promise<CompiledPolicy> {
  const result = await loadPolicyFile(file);
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.ok).toBe(true);
  if (!result.ok) throw new Error('examples/escola-connect/eclusa.yaml is not a valid policy');
  return result.policy;
}

function indexOf(steps: readonly PlanStep[], test: (step: PlanStep) => boolean, what: string) {
  const index = steps.findIndex(test);
  expect(index, `plan step: ${what}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('examples/escola-connect (Escola Connect API — Runbook de Deploy)', () => {
  it('is a valid policy with no errors and no warnings', async () => {
    const policy = await load();
    expect(policy.environments.map((e) => e.name)).toEqual(['production']);
  });

  it('runs MySQL with Doctrine migrations that can go back one version', async () => {
    const policy = await load();
    const db = policy.components.db;
    expect(db?.kind).toBe('database');
    if (db?.kind !== 'database') return;
    expect(db.engine).toBe('mysql');
    expect(db.connection).toBe('env:ESCOLA_DATABASE_URL');
    expect(db.migrations?.command).toBe(
      'php vendor/bin/doctrine-migrations migrate --no-interaction',
    );
    expect(db.migrations?.downCommand).toContain('doctrine-migrations migrate prev');
  });

  it('checks coverage ≥ 85 %, the window agreed with Infra + Produto and their approvals before anything changes', async () => {
    const policy = await load();
    expect(policy.windows?.['infra-produto']?.timezone).toBe('America/Sao_Paulo');
    expect(policy.environments[0]?.notifications?.before).toEqual(['4h']);

    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const preflight = plan.steps.filter((step) => step.phase === 'preflight');
    const coverage = preflight.find((step) => step.id === 'gate-check-coverage');
    expect(coverage?.details.type).toBe('coverage');
    expect(coverage?.name).toContain('coverage ≥ 85%');
    expect(preflight.find((step) => step.kind === 'window')?.details.windows).toEqual([
      'infra-produto',
    ]);
    expect(preflight.find((step) => step.kind === 'approval')?.details.roles).toEqual([
      'infra',
      'produto',
    ]);
    expect(preflight.find((step) => step.kind === 'checklist')?.details.checklist).toBe(
      'readiness',
    );
    expect(plan.steps.some((step) => step.kind === 'window' && step.phase !== 'preflight')).toBe(
      false,
    );
  });

  it('backs up, enters maintenance, migrates, deploys, clears caches and leaves maintenance, in that order', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const steps = plan.steps;
    const backup = indexOf(steps, (s) => s.kind === 'backup', 'backup (mysqldump)');
    const maintenanceOn = indexOf(
      steps,
      (s) => s.kind === 'maintenance' && s.details.mode === 'on',
      'maintenance on',
    );
    const migrate = indexOf(steps, (s) => s.kind === 'migrate', 'migrate');
    const deploy = indexOf(steps, (s) => s.kind === 'deploy', 'deploy');
    const cacheClear = indexOf(
      steps,
      (s) =>
        s.kind === 'cache' &&
        s.details.action === 'clear' &&
        s.details.run === 'php ./scripts/cache-clear-aggregates.php',
      'cache clear',
    );
    const cachePurge = indexOf(
      steps,
      (s) =>
        s.kind === 'cache' &&
        s.details.action === 'purge' &&
        JSON.stringify(s.details.paths) === JSON.stringify(['/v1/cidades', '/v1/escolas']),
      'HTTP/CDN purge',
    );
    const maintenanceOff = indexOf(
      steps,
      (s) => s.kind === 'maintenance' && s.details.mode === 'off',
      'maintenance off',
    );
    const verify = indexOf(steps, (s) => s.kind === 'verify', 'smoke + /metrics');
    const alerts = indexOf(
      steps,
      (s) => s.kind === 'analysis' && s.details.durationMs === 15 * 60_000,
      '15-minute alert watch',
    );

    expect(backup).toBeLessThan(maintenanceOn);
    expect(maintenanceOn).toBeLessThan(migrate);
    expect(migrate).toBeLessThan(deploy);
    expect(deploy).toBeLessThan(cacheClear);
    expect(cacheClear).toBeLessThan(cachePurge);
    expect(cachePurge).toBeLessThan(maintenanceOff);
    expect(maintenanceOff).toBeLessThan(verify);
    expect(verify).toBeLessThan(alerts);
    expect(steps[maintenanceOn]?.details.message).toBe('Atualizando Escola Connect API');
    expect(steps[verify]?.details.checks).toEqual(['smoke', 'metrics']);
  });

  it('verifies the smoke script and /metrics with a bearer token read from the environment', async () => {
    const policy = await load();
    const verify = policy.environments[0]?.verify ?? {};
    expect(verify.smoke).toMatchObject({ type: 'command', run: './scripts/smoke.sh' });
    const metrics = verify.metrics;
    expect(metrics?.type).toBe('http');
    if (metrics?.type !== 'http') return;
    expect(metrics.url).toBe('http://api/metrics');
    expect(metrics.headers?.Authorization).toBe('Bearer ${env:METRICS_TOKEN}');
  });

  it('rolls back on the P95 > 2s and 5xx > 1% alerts (5 minutes each)', async () => {
    const policy = await load();
    const conditions = policy.analyses?.alerts?.conditions ?? [];
    expect(conditions.map((c) => [c.metric, c.failWhen, c.for])).toEqual([
      ['latency_p95', '> 2s', '5m'],
      ['error_rate', '> 1%', '5m'],
    ]);
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    expect(plan.rollback.automatic).toBe(true);
    expect(plan.rollback.triggers).toEqual(
      expect.arrayContaining(['verification-failed', 'analysis-failed']),
    );
  });

  it('rolls back: migrate prev, previous tag, restore only with a DBA, then tells #operacoes/#promotores', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const rollback = plan.rollback.steps;
    expect(rollback.length).toBeGreaterThan(0);
    expect(rollback.map((step) => step.kind)).toEqual([
      'migrate',
      'deploy',
      'approval',
      'backup',
      'verify',
      'notify',
      'notify',
    ]);
    expect(rollback[0]?.details).toEqual({ database: 'db', direction: 'down' });
    const approval = rollback.findIndex((s) => s.kind === 'approval');
    const restore = rollback.findIndex((s) => s.details.action === 'restore');
    expect(rollback[approval]?.details).toEqual({ roles: ['dba'], restore: 'db' });
    expect(approval).toBeLessThan(restore);
    expect(rollback.find((s) => s.details.message !== undefined)?.details.channels).toEqual([
      'operacoes',
      'promotores',
    ]);
    expect(rollback.at(-1)?.details).toEqual({ incident: 'rollback' });
  });
});

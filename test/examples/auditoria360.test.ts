import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

const file = fileURLToPath(new URL('../../examples/auditoria360/eclusa.yaml', import.meta.url));

async function load(): Promise<CompiledPolicy> {
  const result = await loadPolicyFile(file);
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.ok).toBe(true);
  if (!result.ok) throw new Error('examples/auditoria360/eclusa.yaml is not a valid policy');
  return result.policy;
}

describe('examples/auditoria360 (DEPLOYMENT GUIDE v1.0.0 - AUDITORIA360)', () => {
  it('is a valid policy with no errors and no warnings', async () => {
    const policy = await load();
    expect(policy.components.app).toMatchObject({
      kind: 'service',
      target: { type: 'kubernetes', namespace: 'production' },
    });
    expect(policy.components.db).toMatchObject({ kind: 'database', engine: 'postgres' });
  });

  it('deploys only on Thursday 02:00–04:00 in São Paulo, after tests, checklist and go/no-go', async () => {
    const policy = await load();
    expect(policy.windows?.['thursday-night']).toEqual({
      description: 'Quinta-feira 02:00–04:00 (horário de Brasília)',
      timezone: 'America/Sao_Paulo',
      days: ['thu'],
      start: '02:00',
      end: '04:00',
    });
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const preflight = plan.steps.filter((step) => step.phase === 'preflight');
    expect(preflight.find((step) => step.kind === 'window')?.details.windows).toEqual([
      'thursday-night',
    ]);
    expect(preflight.find((step) => step.kind === 'approval')?.details.roles).toEqual([
      'tech-lead',
      'qa',
    ]);
  });

  it('runs backup → green → migrate → verify green → 10% → analysis → 50% → analysis → 100% → verify → 60 min monitoring', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const deployment = plan.steps.filter(
      (step) => step.phase === 'deploy' && step.kind !== 'notify',
    );
    expect(
      deployment.map((step) =>
        step.kind === 'traffic' ? `traffic(${String(step.details.weight)})` : step.kind,
      ),
    ).toEqual([
      'backup',
      'deploy',
      'migrate',
      'cache', // 2.3: cache warm-up on green, before it is validated
      'verify',
      'traffic(10)',
      'analysis',
      'traffic(50)',
      'analysis',
      'traffic(100)',
      'verify',
      'analysis',
      'checklist', // post-deploy checklist, confirmed by the tech lead
    ]);

    const steps = plan.steps;
    const verifyGreen = steps.find((s) => s.id === 'verify-green');
    expect(verifyGreen?.details.against).toBe('new');
    expect(verifyGreen?.details.checks).toEqual(
      expect.arrayContaining(['green-health', 'green-status', 'green-smoke']),
    );
    const analyses = steps.filter((s) => s.kind === 'analysis');
    expect(analyses.map((s) => [s.details.analysis, s.details.durationMs])).toEqual([
      ['rollback-criteria', 5 * 60_000],
      ['rollback-criteria', 5 * 60_000],
      ['rollback-criteria', 60 * 60_000],
    ]);
    const postSwitch = steps.find((s) => s.id === 'verify-post-switch');
    expect(postSwitch?.details.checks).toEqual(expect.arrayContaining(['routing', 'critical']));

    expect(steps[0]?.phase).toBe('preflight');
    expect(steps.findIndex((s) => s.id === 'notify-started')).toBeLessThan(
      steps.findIndex((s) => s.kind === 'backup'),
    );
  });

  it('rolls back automatically on error rate, average latency, availability and failed checks', async () => {
    const policy = await load();
    const conditions = policy.analyses?.['rollback-criteria']?.conditions ?? [];
    expect(conditions.map((c) => [c.metric, c.failWhen, c.for])).toEqual([
      ['error_rate', '> 5%', undefined],
      ['latency_avg', '> 500ms', '5m'],
      ['availability', '< 99%', undefined],
    ]);
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    expect(plan.rollback.automatic).toBe(true);
    expect(plan.rollback.triggers).toEqual(
      expect.arrayContaining(['verification-failed', 'analysis-failed', 'monitoring-failed']),
    );
  });

  it('sends traffic back to blue first and restores the database only after an approval', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const rollback = plan.rollback.steps;
    expect(rollback.length).toBeGreaterThan(0);
    expect(rollback[0]).toMatchObject({ kind: 'traffic', details: { weight: 0 } });
    const approval = rollback.findIndex((s) => s.kind === 'approval');
    const restore = rollback.findIndex((s) => s.details.action === 'restore');
    expect(approval).toBeGreaterThan(0);
    expect(rollback[approval]?.details).toEqual({ roles: ['escalation'], restore: 'db' });
    expect(approval).toBeLessThan(restore);
    expect(rollback.slice(restore + 1).map((s) => s.kind)).toEqual(['verify', 'notify']);
  });

  it('announces the window at T-24h, T-4h and T-1h and reports status every 15 minutes', async () => {
    const policy = await load();
    expect(policy.environments[0]?.notifications).toMatchObject({
      channels: ['deploy-status', 'deploy-team'],
      every: '15m',
      before: ['24h', '4h', '1h'],
    });
  });
});

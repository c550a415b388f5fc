import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import type { PlanStep } from '../../src/core/plan/plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

const file = fileURLToPath(new URL('../../examples/core-hub/eclusa.yaml', import.meta.url));

async function load(): Promise<CompiledPolicy> {
  const result = await loadPolicyFile(file);
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.ok).toBe(true);
  if (!result.ok) throw new Error('examples/core-hub/eclusa.yaml is not a valid policy');
  return result.policy;
}

function indexOf(steps: readonly PlanStep[], test: (step: PlanStep) => boolean, what: string) {
  const index = steps.findIndex(test);
  expect(index, `plan step: ${what}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('examples/core-hub (Core Hub — Release & Deploy Playbook)', () => {
  it('is a valid policy with no errors and no warnings', async () => {
    const policy = await load();
    expect(policy.environments.map((e) => [e.name, e.tier])).toEqual([
      ['local', 'development'],
      ['staging', 'staging'],
      ['production', 'production'],
    ]);
  });

  it('declares the three images, Alembic migrations with a safe down path and safe flag defaults', async () => {
    const policy = await load();
    for (const name of ['api', 'worker', 'frontend']) {
      const component = policy.components[name];
      expect(component?.kind).not.toBe('database');
      if (component?.kind === 'database') continue;
      expect(component?.artifact?.image).toBe(`ghcr.io/core-hub/${name}`);
      expect(component?.target?.type).toBe('kubernetes');
    }
    const db = policy.components.db;
    expect(db?.kind).toBe('database');
    if (db?.kind !== 'database') return;
    expect(db.migrations).toMatchObject({
      tool: 'command',
      command: 'alembic upgrade head',
      downCommand: 'alembic downgrade -1',
      down: 'when-safe',
    });
    expect(policy.flags?.['auto-approval']).toMatchObject({ default: false, killSwitch: true });
    expect(policy.flags?.['new-flow']).toMatchObject({ default: false, killSwitch: true });
    expect(policy.checks?.['llm-eval']).toMatchObject({ type: 'score', min: 0.8 });
  });

  it('local has no gates; staging is automatic (no approval) and runs smoke + key E2E', async () => {
    const policy = await load();
    expect(policy.environments[0]?.gates).toBeUndefined();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'staging' });
    expect(plan.steps.some((step) => step.kind === 'approval')).toBe(false);
    const migrate = indexOf(plan.steps, (s) => s.kind === 'migrate', 'migrate');
    const seed = indexOf(plan.steps, (s) => s.id === 'seed-minimal', 'seed mínimo');
    const verify = indexOf(plan.steps, (s) => s.kind === 'verify', 'verify');
    expect(migrate).toBeLessThan(seed);
    expect(seed).toBeLessThan(verify);
    expect(plan.steps[verify]?.details.checks).toEqual(
      expect.arrayContaining(['smoke', 'e2e-key']),
    );
  });

  it('gates production on the LLM eval score and the DRI approval, before anything changes', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const preflight = plan.steps.filter((step) => step.phase === 'preflight');

    const evalGate = preflight.find((step) => step.id === 'gate-check-llm-eval');
    expect(evalGate?.details).toMatchObject({ gate: 'check', check: 'llm-eval', type: 'score' });
    expect(evalGate?.name).toContain('score ≥ 0.8');
    expect(preflight.find((step) => step.id === 'gate-promotion')?.details.from).toBe('staging');
    expect(preflight.find((step) => step.kind === 'checklist')?.details.checklist).toBe(
      'pre-release',
    );
    expect(preflight.find((step) => step.kind === 'approval')?.details.roles).toEqual(['dri']);

    const firstDeployPhase = plan.steps.findIndex((step) => step.phase !== 'preflight');
    expect(plan.steps.slice(firstDeployPhase).every((step) => step.phase === 'deploy')).toBe(true);
  });

  it('backs up, migrates, starts a 10% canary (one instance), smoke-tests and notifies, in that order', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const steps = plan.steps;
    const order = [
      indexOf(steps, (s) => s.kind === 'backup', 'backup'),
      indexOf(steps, (s) => s.kind === 'migrate', 'migrate'),
      indexOf(steps, (s) => s.kind === 'deploy', 'deploy'),
      indexOf(steps, (s) => s.kind === 'verify' && s.details.against === 'new', 'smoke canary'),
      indexOf(steps, (s) => s.kind === 'traffic' && s.details.weight === 10, 'canary 10%'),
      indexOf(steps, (s) => s.kind === 'analysis' && s.details.weight === 10, 'canary analysis'),
      indexOf(steps, (s) => s.kind === 'traffic' && s.details.weight === 100, 'full promotion'),
      indexOf(steps, (s) => s.kind === 'verify' && s.details.against === 'production', 'smoke'),
      indexOf(steps, (s) => s.kind === 'analysis' && s.details.durationMs === 1_800_000, '30m'),
      indexOf(steps, (s) => s.kind === 'checklist' && s.phase === 'deploy', 'post-release'),
      indexOf(steps, (s) => s.id === 'notify-succeeded', 'notify after deploy'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    expect(plan.strategy).toBe('canary');
    expect(steps.find((s) => s.kind === 'traffic' && s.details.weight === 10)?.details.by).toBe(
      'instances',
    );
    expect(steps.find((s) => s.id === 'notify-succeeded')?.details.channels).toEqual([
      'slack',
      'email',
    ]);
    expect(steps.some((s) => s.id === 'notify-started')).toBe(false);
  });

  it('rolls back by turning the risky flags off, restoring traffic and the last images, and migrating down', async () => {
    const policy = await load();
    const plan = buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const rollback = plan.rollback.steps;
    expect(rollback.length).toBeGreaterThan(0);
    expect(plan.rollback.automatic).toBe(true);
    expect(rollback.map((step) => step.kind)).toEqual([
      'flag',
      'traffic',
      'migrate',
      'deploy',
      'verify',
      'notify',
    ]);
    expect(rollback[0]?.details).toEqual({ flags: ['auto-approval', 'new-flow'], set: 'off' });
    expect(rollback[2]?.details).toEqual({ database: 'db', direction: 'down' });
    expect(rollback[3]?.details).toEqual({ previous: true });
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';
import { runCli } from '../cli/run-cli.js';

const SEEDS = ['conect360', 'koraos', 'core-hub', 'escola-connect', 'auditoria360'] as const;
const file = (seed: string) =>
  fileURLToPath(new URL(`../../examples/${seed}/eclusa.yaml`, import.meta.url));

describe.each(SEEDS)('examples/%s: the local profile', (seed) => {
  it('passes policy check with ECLUSA_PROFILE=local, without a warning', async () => {
    const checked = await runCli(['policy', 'check', '--file', file(seed), '--strict'], {
      env: { ECLUSA_PROFILE: 'local' },
    });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it('runs everything on this machine: process targets, builtin routers, no Kubernetes or Cloudflare', async () => {
    const loaded = await loadPolicyFile(file(seed), { profile: 'local' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { policy } = loaded;
    for (const component of Object.values(policy.components)) {
      if (component.kind !== 'database') expect(component.target?.type).toBe('process');
    }
    for (const environment of policy.environments) {
      if (environment.pipeline.some((step) => step.kind === 'deploy'))
        expect(environment.router?.type).toBe('builtin');
      for (const step of environment.pipeline)
        if (step.kind === 'cache') expect(step.provider).toBe('command');
    }
    for (const analysis of Object.values(policy.analyses ?? {}))
      expect(analysis.source ?? 'scrape').toBe('scrape');
  });

  it('keeps every gate and every step kind of the production plan, in the same order', async () => {
    const base = await loadPolicyFile(file(seed));
    const local = await loadPolicyFile(file(seed), { profile: 'local' });
    if (!base.ok || !local.ok) throw new Error(`${seed} does not load`);
    const plan = (policy: typeof base.policy) =>
      buildPlan(policy, { release: '1.0.0', environment: 'production' });
    const gates = (p: ReturnType<typeof plan>) =>
      p.steps.filter((s) => s.phase === 'preflight').map((s) => s.id);
    const kinds = (p: ReturnType<typeof plan>) => p.steps.map((s) => `${s.kind}:${s.id}`);
    expect(gates(plan(local.policy))).toEqual(gates(plan(base.policy)));
    expect(kinds(plan(local.policy))).toEqual(kinds(plan(base.policy)));
    expect(plan(local.policy).rollback.steps.map((s) => s.kind)).toEqual(
      plan(base.policy).rollback.steps.map((s) => s.kind),
    );
  });
});

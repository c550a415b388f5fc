import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesTarget } from '../../src/adapters/target/kubernetes/kubernetes-target.js';
import type { RunState } from '../../src/core/engine/run-state.js';
import type { Verifier } from '../../src/core/engine/step-executor.js';
import { startFakeKubeApi, teamDeployment, type FakeKubeApi } from '../support/fake-kube-api.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

// Contract test: the cluster is a fake Kubernetes API (test/support/fake-kube-api.ts); what a
// Service would send to is read from its Deployments' available copies.
const policy = (namespace: string, extra = '') => `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: kubernetes, namespace: ${namespace}, deployment: api, container: api }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      by: instances
      steps:
        - { weight: 10, pause: 15m }
        - { weight: 50, pause: 5m }
        - { weight: 100 }
    verify:
      health: { type: http, url: "https://api.example.com/health" }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
${extra}      - { kind: rollout }
      - { kind: verify, checks: [health], against: production, id: verify-production }
`;

let api: FakeKubeApi;
let dir: string;
let fx: EngineFixture;
let tests = 0;
let failures = 0;

beforeAll(async () => {
  api = await startFakeKubeApi({ settleMs: 5 });
  dir = mkdtempSync(join(tmpdir(), 'eclusa-kube-engine-'));
  writeFileSync(join(dir, 'config'), api.kubeconfig());
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => fx.close());

async function cluster(extra = '') {
  tests += 1;
  const namespace = `shop-${tests}`;
  api.put(namespace, teamDeployment('api', 10));
  const target = new KubernetesTarget({
    config: { type: 'kubernetes', namespace, deployment: 'api', container: 'api' },
    component: 'api',
    env: { KUBECONFIG: join(dir, 'config') },
    pollMs: 5,
  });
  // The checks pass, but for the next `failures` (no HTTP to a fake cluster): the new
  // version fails its check, the rollback's verification of the old one passes.
  failures = 0;
  const verifier: Verifier = {
    run: (name, check) => {
      const ok = failures === 0;
      failures = Math.max(failures - 1, 0);
      return Promise.resolve({
        name,
        type: check.type,
        ok,
        attempts: 1,
        durationMs: 1,
        detail: ok ? '200' : '503',
      });
    },
  };
  fx = await engineFixture(policy(namespace, extra), {
    ports: { targetFor: () => target, verifier },
  });
  const served = () => api.servedBy(namespace, { app: 'api' });
  const history = () =>
    api.history
      .map((h) =>
        Object.fromEntries(
          Object.entries(h.served)
            .filter(([k]) => k.startsWith(`${namespace}:`))
            .map(([k, v]) => [k.slice(namespace.length + 1), v]),
        ),
      )
      .filter((h, i, all) => i === 0 || JSON.stringify(h) !== JSON.stringify(all[i - 1]));
  return { namespace, served, history };
}

const stepIds = (state: RunState) => state.steps.map((s) => `${s.id}:${s.status}`);

describe('canary by instance count on Kubernetes (contract test against a fake API)', () => {
  it('moves copies 1 → 5 → 10 of 10 to the new version, never serving with fewer than 10', async () => {
    const { served, history } = await cluster();
    await fx.release('1.0.0');
    const first = await fx.runner().drive(await fx.deploy('1.0.0'));
    expect(first).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    expect(served()).toEqual({ '1.0.0': 10 });

    await fx.release('2.0.0');
    const start = history().length;
    const second = await fx.runner().drive(await fx.deploy('2.0.0'));
    expect(second).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    const steps = history().slice(start - 1);
    expect(steps).toEqual([
      { '1.0.0': 10 },
      { '1.0.0': 10, '2.0.0': 1 },
      { '1.0.0': 9, '2.0.0': 1 },
      { '1.0.0': 9, '2.0.0': 5 },
      { '1.0.0': 5, '2.0.0': 5 },
      { '1.0.0': 5, '2.0.0': 10 },
      { '2.0.0': 10 },
    ]);
    for (const shares of steps) {
      expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    }
    const state = (second as { state: RunState }).state;
    expect(state.steps.find((s) => s.id === 'rollout-1-traffic-10')?.output).toMatchObject({
      weight: 10,
      instances: { api: { canary: 1, stable: 9 } },
    });
  });

  it('a failure after the switch gives every copy back to the previous version', async () => {
    const { served } = await cluster();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('2.0.0');
    failures = 1;
    const result = await fx.runner().drive(await fx.deploy('2.0.0'));
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'rolled_back' } });
    expect(served()).toEqual({ '1.0.0': 10 });
    const rollback = (result as { state: RunState }).state.rollbackSteps;
    const traffic = rollback.find((s) => s.kind === 'traffic');
    expect(traffic).toMatchObject({ status: 'succeeded', output: { restored: { api: '1.0.0' } } });
  });

  it('a canary that fails while it shares the copies is scaled to 0 and the stable side back to 10', async () => {
    const { served } = await cluster(
      '      - { kind: verify, checks: [health], against: new, id: verify-canary }\n',
    );
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('2.0.0');
    failures = 1;
    const result = await fx.runner().drive(await fx.deploy('2.0.0'));
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'rolled_back' } });
    expect(stepIds((result as { state: RunState }).state)).toContain('verify-canary:failed');
    expect(served()).toEqual({ '1.0.0': 10 });
  });
});

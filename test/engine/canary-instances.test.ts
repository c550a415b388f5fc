import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesTarget } from '../../src/adapters/target/kubernetes/kubernetes-target.js';
import type { RunState } from '../../src/core/engine/run-state.js';
import type { MetricsSide, MetricsSource } from '../../src/core/analysis/metrics-source.js';
import type { Verifier } from '../../src/core/engine/step-executor.js';
import type { Clock } from '../../src/core/time/clock.js';
import { startFakeKubeApi, teamDeployment, type FakeKubeApi } from '../support/fake-kube-api.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

// Contract test: the cluster is a fake Kubernetes API (test/support/fake-kube-api.ts); what a
// Service would send to is read from its Deployments' available copies.
const policy = (namespace: string, extra = '', analysis = '') => `
version: 1
project: { name: shop, owners: [ana] }
${analysis}
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
${analysis === '' ? '' : '      analysis: errors\n'}      steps:
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

async function cluster(extra = '', analysis = '', metrics?: (clock: Clock) => MetricsSource) {
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
  fx = await engineFixture(policy(namespace, extra, analysis), {
    ports: { targetFor: () => target, verifier },
    ...(metrics ? { metrics } : {}),
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

  it('judges the canary from Prometheus by its labels and, when it fails, takes its copies away first', async () => {
    const asked: { canary: MetricsSide; stable?: MetricsSide }[] = [];
    let last: number | undefined;
    const source = (clock: Clock): MetricsSource => ({
      kind: 'scripted',
      capabilities: { latencyHistogram: false, queries: true },
      measure: (request) => {
        asked.push({
          canary: request.canary,
          ...(request.stable ? { stable: request.stable } : {}),
        });
        const at = clock.now().getTime();
        const from = last ?? at - 10_000;
        last = at;
        const window = (version: string) => ({
          kind: 'window' as const,
          window: {
            from: new Date(from).toISOString(),
            to: new Date(at).toISOString(),
            requests: 500,
            errors: version === '2.0.0' ? 150 : 5,
          },
        });
        return Promise.resolve({
          at: new Date(at).toISOString(),
          canary: window(request.canary.version),
          ...(request.stable ? { stable: window(request.stable.version) } : {}),
          queries: {},
        });
      },
    });
    const analyses = `analyses:
  errors:
    source: prometheus
    prometheusUrl: http://prometheus.monitoring:9090
    match: version="{{version}}"
    interval: 10s
    minRequests: 50
    conditions:
      - { metric: error_rate, failWhen: "> 5%" }`;
    const { served, history } = await cluster('', analyses, source);
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('2.0.0');
    const start = history().length;
    const result = await fx.runner().drive(await fx.deploy('2.0.0'));
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'rolled_back' } });
    expect(asked[0]).toEqual({
      canary: { id: 'api-green', version: '2.0.0' },
      stable: { id: 'api-blue', version: '1.0.0' },
    });
    expect(served()).toEqual({ '1.0.0': 10 });
    // 1 canary beside 9 stable; the canary's copy goes first, then the stable side is whole.
    expect(history().slice(start - 1)).toEqual([
      { '1.0.0': 10 },
      { '1.0.0': 10, '2.0.0': 1 },
      { '1.0.0': 9, '2.0.0': 1 },
      { '1.0.0': 9 },
      { '1.0.0': 10 },
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsSource } from '../../src/core/analysis/metrics-source.js';
import { controlDeployment } from '../../src/core/services/deployment-service.js';
import type { Clock } from '../../src/core/time/clock.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

const POLICY = `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: process, command: "node app.js" }
analyses:
  errors:
    interval: 10s
    minRequests: 50
    conditions:
      - { metric: error_rate, failWhen: "> 5%" }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy: { type: blue-green }
    router: { type: builtin, listen: 18080 }
    rollback: { automatic: true, triggers: [step-failed, monitoring-failed] }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
      - { kind: analysis, analysis: errors, duration: 1m, id: monitor }
`;

/** A metrics source that reports each version's error share, as a real one would read it. */
function scriptedSource(
  clock: Clock,
  errorShare: (version: string) => number,
  requests = 200,
): MetricsSource {
  let last: number | undefined;
  return {
    kind: 'scripted',
    capabilities: { latencyHistogram: false, queries: false },
    measure: (request) => {
      const at = clock.now().getTime();
      const from = last ?? at - 10_000;
      last = at;
      const window = (version: string) => ({
        kind: 'window' as const,
        window: {
          from: new Date(from).toISOString(),
          to: new Date(at).toISOString(),
          requests,
          errors: Math.round(requests * errorShare(version)),
        },
      });
      return Promise.resolve({
        at: new Date(at).toISOString(),
        canary: window(request.canary.version),
        ...(request.stable ? { stable: window(request.stable.version) } : {}),
        queries: {},
      });
    },
  };
}

let fx: EngineFixture;
afterEach(async () => fx.close());

describe('the analysis step in the monitoring window after the switch', () => {
  it('passes a healthy version once the window has run its course', async () => {
    fx = await engineFixture(POLICY, { metrics: (clock) => scriptedSource(clock, () => 0.01) });
    await fx.release('1.0.0');
    const result = await fx.runner().drive(await fx.deploy('1.0.0'));
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
  });

  it('makes sure the router carries the last route before each measurement', async () => {
    fx = await engineFixture(POLICY, { metrics: (clock) => scriptedSource(clock, () => 0.01) });
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    // One measurement every 10 s over the 1 min window: a restarted router is put right
    // within one interval, not only at the next traffic step.
    expect(fx.world.ensures).toBeGreaterThanOrEqual(6);
  });

  it('rolls back with the verdict sentence when the new version fails', async () => {
    fx = await engineFixture(POLICY, {
      metrics: (clock) => scriptedSource(clock, (v) => (v === '1.1.0' ? 0.2 : 0.01)),
    });
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    const result = await fx.runner().drive(await fx.deploy('1.1.0'));
    expect(result).toMatchObject({
      kind: 'finished',
      state: {
        status: 'rolled_back',
        rollbackCause: { trigger: 'monitoring-failed', step: 'monitor' },
      },
    });
    if (result.kind !== 'finished') return;
    expect(result.state.rollbackCause?.message).toMatch(
      /^analysis errors failed: canary 5xx rate 20\.0 % > 5%/,
    );
    expect(fx.world.liveVersion()).toBe('1.0.0');
  });
});

const CANARY_POLICY = `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: process, command: "node app.js" }
analyses:
  errors:
    interval: 1s
    minRequests: 50
    conditions:
      - { metric: error_rate, failWhen: "> 5%" }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      analysis: errors
      steps:
        - { weight: 10, pause: 1m }
        - { weight: 100 }
    router: { type: builtin, listen: 18080 }
    rollback: { automatic: true, actions: [{ kind: notify }, { kind: traffic }] }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
`;

describe('the analysis step of a canary step', () => {
  it('sets the canary weight to 0 itself when it fails, before the rollback path runs', async () => {
    fx = await engineFixture(CANARY_POLICY, {
      metrics: (clock) => scriptedSource(clock, (v) => (v === '1.1.0' ? 0.3 : 0.01)),
    });
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    const result = await fx.runner().drive(await fx.deploy('1.1.0'));
    expect(result).toMatchObject({
      kind: 'finished',
      state: { status: 'rolled_back', rollbackCause: { trigger: 'analysis-failed' } },
    });
    // The policy's rollback path notifies first; the canary had no traffic left by then.
    const withdrawn = fx.events.findIndex(
      (e) => e.kind === 'log' && e.step === 'rollout-1-analysis' && /canary weight 0/.test(e.line),
    );
    const verdictStored = fx.events.findIndex(
      (e) => e.kind === 'step-finished' && e.step.id === 'rollout-1-analysis',
    );
    const rollbackStarts = fx.events.findIndex((e) => e.kind === 'rollback-started');
    expect(withdrawn).toBeGreaterThan(-1);
    expect(withdrawn).toBeLessThan(verdictStored);
    expect(verdictStored).toBeLessThan(rollbackStarts);
    const weights = fx.world.routes.map(
      (r) => `${r.stable.version}/${r.canary?.version ?? '-'}:${r.canaryWeight}`,
    );
    expect(weights.slice(-3)).toEqual(['1.0.0/1.1.0:10', '1.0.0/-:0', '1.0.0/-:0']);
    expect(fx.world.liveVersion()).toBe('1.0.0');
  });

  it('waits for a person when no traffic arrives, tells the channels once, and a promote accepts', async () => {
    const policy = POLICY.replace(
      '    pipeline:',
      '    notifications: { channels: [oncall] }\n    pipeline:',
    ).replace(
      'environments:',
      'channels:\n  oncall: { type: webhook, url: "http://127.0.0.1:9/hook" }\nenvironments:',
    );
    fx = await engineFixture(policy, {
      metrics: (clock) => scriptedSource(clock, () => 0, 0),
    });
    await fx.release('1.0.0');
    const id = await fx.deploy('1.0.0');
    const runner = fx.runner();
    const options = (runner as unknown as { options: { sleep: (ms: number) => Promise<void> } })
      .options;
    const sleep = options.sleep;
    let waitsSinceTold = 0;
    let waits = 0;
    options.sleep = async (ms) => {
      const told = fx.world.notifications.some((n) => n.message.includes('is paused'));
      // The fake clock never lets a test time out: a run that is never told stops here.
      if (++waits > 500) throw new Error('the channels were never told that the run is paused');
      // Several polls of the paused step go by before the person promotes.
      if (told && ++waitsSinceTold === 5)
        await controlDeployment(fx.context('ana'), id, { kind: 'promote', full: false });
      await sleep(ms);
    };
    const result = await runner.drive(id);
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    const paused = fx.world.notifications.filter((n) => n.message.includes('is paused'));
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({ channel: 'oncall' });
    expect(paused[0]?.message).toMatch(
      /^shop 1\.0\.0 in production is paused: analysis errors is inconclusive .*promote to accept, abort to roll back$/,
    );
  });
});

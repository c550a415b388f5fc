import { afterEach, describe, expect, it } from 'vitest';
import type { RunState } from '../../src/core/engine/run-state.js';
import { controlDeployment } from '../../src/core/services/deployment-service.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

const CANARY = `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: process, command: "node app.js" }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      steps:
        - { weight: 10, pause: manual }
        - { weight: 50, pause: 1h }
        - { weight: 100 }
    router: { type: builtin, listen: 18080 }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
`;

let fx: EngineFixture;
afterEach(async () => fx.close());

describe('canary through the router (in-memory ports)', () => {
  it('promote --full skips the remaining canary steps and sends all traffic to the new version', async () => {
    fx = await engineFixture(CANARY);
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    const id = await fx.deploy('1.1.0');
    await controlDeployment(fx.context('ana'), id, { kind: 'promote', full: true });
    const result = await fx.runner().drive(id);
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    const state = (result as { state: RunState }).state;
    expect(state.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'gate-blockers:succeeded',
      'deploy-api:succeeded',
      'rollout-1-traffic-10:skipped',
      'rollout-1-promote:skipped',
      'rollout-2-traffic-50:skipped',
      'rollout-2-bake:skipped',
      'rollout-3-traffic-100:succeeded',
    ]);
    expect(fx.world.liveVersion()).toBe('1.1.0');
  });

  it('shifts 10 % then waits at the manual pause until promote, then goes on', async () => {
    fx = await engineFixture(CANARY);
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    const id = await fx.deploy('1.1.0');
    // The runner sleeps on the fake clock; a promote arrives during the wait.
    let waits = 0;
    const runner = fx.runner();
    const sleeping = (runner as unknown as { options: { sleep: (ms: number) => Promise<void> } })
      .options;
    const sleep = sleeping.sleep;
    sleeping.sleep = async (ms) => {
      waits += 1;
      if (waits === 3) {
        expect(fx.world.routes.at(-1)).toMatchObject({
          canaryWeight: 10,
          canary: { version: '1.1.0' },
        });
        await controlDeployment(fx.context('ana'), id, { kind: 'promote', full: false });
      }
      await sleep(ms);
    };
    const result = await runner.drive(id);
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    expect(fx.world.routes.map((r) => r.canaryWeight)).toContain(50);
    expect(fx.world.liveVersion()).toBe('1.1.0');
  });
});

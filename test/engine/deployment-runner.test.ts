import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/core/audit/verify-audit.js';
import type { EnvironmentState } from '../../src/core/engine/environment-state.js';
import type { RunState } from '../../src/core/engine/run-state.js';
import { createRollback } from '../../src/core/services/deployment-service.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

let fx: EngineFixture;
afterEach(async () => fx.close());

async function environment(): Promise<EnvironmentState> {
  const stored = await fx.store.read((r) => r.getEnvironmentState('production'));
  return JSON.parse(stored!.state) as EnvironmentState;
}

async function runState(id: string): Promise<RunState> {
  const stored = await fx.store.read((r) => r.getDeploymentRun(id));
  return JSON.parse(stored!.state) as RunState;
}

async function statuses(id: string): Promise<Record<string, string>> {
  const run = await fx.store.read((r) => r.getDeploymentRun(id));
  const state = JSON.parse(run!.state) as { steps: { id: string; status: string }[] };
  return Object.fromEntries(state.steps.map((s) => [s.id, s.status]));
}

describe('DeploymentRunner: blue/green on in-memory ports', () => {
  it('deploys beside the live version, switches, and keeps the old colour for the switch back', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    const first = await fx.deploy('1.0.0');
    expect((await fx.runner().drive(first)).kind).toBe('finished');
    expect(fx.world.liveVersion()).toBe('1.0.0');

    await fx.release('1.1.0');
    const second = await fx.deploy('1.1.0');
    const result = await fx.runner().drive(second);
    expect(result).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    expect(fx.world.liveVersion()).toBe('1.1.0');
    const env = await environment();
    expect(env.components.api).toMatchObject({ live: 'green', previous: 'blue' });
    expect(Object.values(await statuses(second)).every((s) => s === 'succeeded')).toBe(true);
    expect((await fx.store.read((r) => r.getDeployment(second)))?.status).toBe('succeeded');

    // After the keep-warm time the next successful deployment stops the old colour.
    fx.clock.advance(31_000);
    await fx.release('1.2.0');
    await fx.runner().drive(await fx.deploy('1.2.0'));
    expect(fx.world.instances.get('production/api/green')?.state).toBe('running');
    expect(fx.world.instances.get('production/api/blue')?.version).toBe('1.2.0');
    fx.clock.advance(31_000);
    await fx.release('1.3.0');
    await fx.runner().drive(await fx.deploy('1.3.0'));
    const after = await environment();
    expect(Object.keys(after.components['api']?.slots ?? {}).sort()).toEqual(['blue', 'green']);
    expect(after.components.api).toMatchObject({ live: 'green' });
  });

  it('rolls back automatically when the new version fails verification, back to the old version', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.2.0');
    fx.world.failVerify.add('1.2.0');
    const id = await fx.deploy('1.2.0');
    const result = await fx.runner().drive(id);
    expect(result).toMatchObject({
      kind: 'finished',
      state: { status: 'rolled_back', rollbackCause: { trigger: 'verification-failed' } },
    });
    expect(fx.world.liveVersion()).toBe('1.0.0');
    const green = fx.world.instances.get('production/api/green');
    expect(green?.state).toBe('stopped');
    expect(fx.world.instances.get('production/api/blue')?.state).toBe('running');
    const state = await statuses(id);
    expect(state['rollout-switch']).toBe('skipped');
  });

  it('rolls back a finished deployment by hand: the warm colour takes the traffic again', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    await fx.runner().drive(await fx.deploy('1.1.0'));
    expect(fx.world.liveVersion()).toBe('1.1.0');
    const startsBefore = fx.world.starts;
    const { id } = await createRollback(fx.context('ana'), {
      environment: 'production',
      reason: 'checkout errors',
    });
    const result = await fx.runner().drive(id);
    expect(result).toMatchObject({
      kind: 'finished',
      state: {
        status: 'rolled_back',
        rollbackCause: { trigger: 'manual', message: 'checkout errors' },
      },
    });
    expect(fx.world.liveVersion()).toBe('1.0.0');
    // Blue was still warm: switching back started nothing.
    expect(fx.world.starts).toBe(startsBefore);
    await expect(
      createRollback(fx.context('ana'), { environment: 'nowhere', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_ENVIRONMENT' });
  });

  it('continues a run whose owner died mid-step, without starting the same version twice', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    const id = await fx.deploy('1.0.0');
    // A first engine stores the deploy step as running, acts, and dies before storing the end.
    const dying = fx.runner('engine-dead');
    const crash = new Error('killed');
    const runner = dying as unknown as { options: { onCrashPoint?: (p: string) => void } };
    runner.options.onCrashPoint = (point) => {
      if (point === 'acted') throw crash;
    };
    await expect(dying.drive(id)).rejects.toBe(crash);
    const startsBefore = fx.world.starts;
    // The lease is still held: another engine must wait for it to expire.
    expect((await fx.runner('engine-2').drive(id)).kind).toBe('finished');
    expect(fx.world.starts).toBe(startsBefore);
    expect((await fx.store.read((r) => r.getDeployment(id)))?.status).toBe('succeeded');
    const run = await runState(id);
    expect(run.steps.find((s) => s.id === 'deploy-api')?.attempt).toBe(2);
  });

  it('queues a second deployment of the environment until the first has ended', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.release('1.1.0');
    const a = await fx.deploy('1.0.0');
    const b = await fx.deploy('1.1.0');
    expect(await fx.runner().drive(b)).toEqual({ kind: 'queued', behind: a });
    expect((await fx.runner().drive(a)).kind).toBe('finished');
    expect((await fx.runner().drive(b)).kind).toBe('finished');
    expect(fx.world.liveVersion()).toBe('1.1.0');
  });

  it('records every step in an intact audit chain', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    const kinds = (await fx.store.read((r) => r.auditEvents(1, 1000))).map((e) => e.kind);
    expect(kinds).toContain('deployment.step.started');
    expect(kinds).toContain('deployment.succeeded');
    await fx.seal();
    const verdict = await fx.store.read((r) =>
      verifyAudit(r, { trustedKeys: [fx.signer.publicKeyPem] }),
    );
    expect(verdict).toMatchObject({ ok: true, firstBad: null });
  });
});

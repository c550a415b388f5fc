import { describe, expect, it } from 'vitest';
import type { DeploymentRunRecord } from '../../core/store/records.js';
import { at, deployment, type StoreContractContext } from './store-contract-fixtures.js';

function run(id: string, overrides: Partial<DeploymentRunRecord> = {}): DeploymentRunRecord {
  return {
    deploymentId: id,
    environment: 'production',
    revision: 1,
    plan: '{"steps":[]}',
    state: '{"status":"queued"}',
    updatedAt: at(0),
    ...overrides,
  };
}

/** The engine's records: runs replaced whole with a revision check, the active queue, environment state. */
export function describeEngineCases(ctx: StoreContractContext): void {
  describe('deployment runs', () => {
    it('round-trips a run and replaces it only at the next revision', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.insertDeployment(deployment('d1', { status: 'queued', origin: 'eclusa' }));
        await w.insertDeploymentRun(run('d1'));
      });
      const next = run('d1', {
        revision: 2,
        state: '{"status":"running","ü":"✓"}',
        leaseOwner: 'engine-a',
        leaseExpiresAt: at(1),
        wakeAt: at(5),
        updatedAt: at(1),
      });
      await store.write((w) => w.updateDeploymentRun(next));
      expect(await store.read((r) => r.getDeploymentRun('d1'))).toEqual(next);
      await expect(
        store.write((w) => w.updateDeploymentRun({ ...next, revision: 2 })),
      ).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      const cleared = run('d1', { revision: 3, updatedAt: at(2) });
      await store.write((w) => w.updateDeploymentRun(cleared));
      expect(await store.read((r) => r.getDeploymentRun('d1'))).toEqual(cleared);
      expect(await store.read((r) => r.getDeploymentRun('nope'))).toBeUndefined();
    });

    it('lists the active runs oldest deployment first, by environment', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        for (const [id, status, env, minute] of [
          ['d3', 'queued', 'production', 3],
          ['d1', 'running', 'production', 1],
          ['d2', 'succeeded', 'production', 2],
          ['d4', 'paused', 'staging', 4],
        ] as const) {
          await w.insertDeployment(
            deployment(id, { status, environment: env, createdAt: at(minute), origin: 'eclusa' }),
          );
          await w.insertDeploymentRun(run(id, { environment: env }));
        }
      });
      const ids = async (environment?: string): Promise<string[]> =>
        (
          await store.read((r) =>
            r.listActiveDeploymentRuns(environment === undefined ? {} : { environment }),
          )
        ).map((r) => r.deploymentId);
      expect(await ids()).toEqual(['d1', 'd3', 'd4']);
      expect(await ids('production')).toEqual(['d1', 'd3']);
      expect(await ids('nowhere')).toEqual([]);
    });
  });

  describe('environment state', () => {
    it('is created at revision 1 and replaced at the next revision only', async () => {
      const store = await ctx.fresh();
      expect(await store.read((r) => r.getEnvironmentState('production'))).toBeUndefined();
      await expect(
        store.write((w) =>
          w.putEnvironmentState({
            environment: 'production',
            revision: 2,
            state: '{}',
            updatedAt: at(0),
          }),
        ),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      const first = {
        environment: 'production',
        revision: 1,
        state: '{"api":1}',
        updatedAt: at(0),
      };
      await store.write((w) => w.putEnvironmentState(first));
      const second = { ...first, revision: 2, state: '{"api":2}', updatedAt: at(1) };
      await store.write((w) => w.putEnvironmentState(second));
      expect(await store.read((r) => r.getEnvironmentState('production'))).toEqual(second);
      await expect(store.write((w) => w.putEnvironmentState(second))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
    });
  });
}

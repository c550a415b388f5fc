import { describe, expect, it } from 'vitest';
import {
  approval,
  at,
  blocker,
  check,
  confirmation,
  deployment,
  release,
  waiver,
  type StoreContractContext,
} from './store-contract-fixtures.js';

const evidence = {
  sha256: 'a'.repeat(64),
  format: 'junit',
  fileName: 'junit.xml',
  size: 2048,
  summary: { tests: 120, failures: 0, suite: 'api' },
} as const;

/** Every governance record: round-trips with and without optional fields, order, filters. */
export function describeRecordCases(ctx: StoreContractContext): void {
  describe('releases', () => {
    it('round-trips a release with and without its optional fields', async () => {
      const store = await ctx.fresh();
      const full = release('1.0.0', {
        tag: 'v1.0.0',
        changelog: '- first\n- ünïcode ✓',
        artifacts: [
          { component: 'api', ref: 'ghcr.io/acme/api:1.0.0', digest: `sha256:${'b'.repeat(64)}` },
          { component: 'web', ref: 'ghcr.io/acme/web:1.0.0' },
        ],
      });
      const minimal = release('1.0.1', { artifacts: [] });
      await store.write(async (w) => {
        await w.insertRelease(full);
        await w.insertRelease(minimal);
      });
      await store.read(async (r) => {
        expect(await r.getRelease('1.0.0')).toStrictEqual(full);
        expect(await r.getRelease('1.0.1')).toStrictEqual(minimal);
        expect(await r.getRelease('9.9.9')).toBeUndefined();
      });
    });

    it('lists releases newest first, later insertions first on equal times', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.insertRelease(release('1.1.0', { createdAt: at(10) }));
        await w.insertRelease(release('1.0.0', { createdAt: at(0) }));
        await w.insertRelease(release('1.2.0', { createdAt: at(10) }));
      });
      const versions = await store.read(async (r) =>
        (await r.listReleases()).map((x) => x.version),
      );
      expect(versions).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    });
  });

  describe('checks', () => {
    it('round-trips checks and lists a release’s oldest first, the newest report last', async () => {
      const store = await ctx.fresh();
      const withEvidence = check('c1', { value: 87.5, evidence, reportedAt: at(2) });
      const failed = check('c2', { status: 'fail', value: 0, reportedAt: at(1) });
      const again = check('c3', { reportedAt: at(2) });
      const other = check('c4', { release: '2.0.0' });
      await store.write(async (w) => {
        for (const record of [withEvidence, failed, again, other]) await w.insertCheck(record);
      });
      await store.read(async (r) => {
        expect(await r.listChecks('1.0.0')).toStrictEqual([failed, withEvidence, again]);
        expect(await r.listChecks('2.0.0')).toStrictEqual([other]);
        expect(await r.listChecks('3.0.0')).toEqual([]);
      });
    });
  });

  describe('approvals', () => {
    it('round-trips approvals and filters by release and environment', async () => {
      const store = await ctx.fresh();
      const full = approval('a1', { role: 'tech-lead', comment: 'ok', createdAt: at(1) });
      const minimal = approval('a2', { decision: 'reject', actor: 'eva', createdAt: at(0) });
      const staging = approval('a3', { environment: 'staging' });
      const otherRelease = approval('a4', { release: '2.0.0' });
      await store.write(async (w) => {
        for (const record of [full, minimal, staging, otherRelease]) await w.insertApproval(record);
      });
      await store.read(async (r) => {
        expect(await r.listApprovals('1.0.0', 'production')).toStrictEqual([minimal, full]);
        expect(await r.listApprovals('1.0.0', 'staging')).toStrictEqual([staging]);
        expect(await r.listApprovals('2.0.0', 'staging')).toEqual([]);
      });
    });
  });

  describe('waivers', () => {
    it('round-trips waivers, gets one by id and filters by release and environment', async () => {
      const store = await ctx.fresh();
      const full = waiver('w1', {
        expiresAt: at(60),
        approvedBy: 'bruno',
        approvedAt: at(5),
        requestedAt: at(1),
      });
      const minimal = waiver('w2');
      const staging = waiver('w3', { environment: 'staging' });
      await store.write(async (w) => {
        for (const record of [full, minimal, staging]) await w.insertWaiver(record);
      });
      await store.read(async (r) => {
        expect(await r.getWaiver('w1')).toStrictEqual(full);
        expect(await r.getWaiver('w2')).toStrictEqual(minimal);
        expect(await r.getWaiver('nope')).toBeUndefined();
        expect(await r.listWaivers('1.0.0', 'production')).toStrictEqual([minimal, full]);
        expect(await r.listWaivers('1.0.0', 'staging')).toStrictEqual([staging]);
      });
    });

    it('approves a waiver once; a second approval or an unknown id is refused', async () => {
      const store = await ctx.fresh();
      await store.write((w) => w.insertWaiver(waiver('w1')));
      await store.write((w) => w.approveWaiver('w1', 'bruno', at(3)));
      expect(await store.read((r) => r.getWaiver('w1'))).toStrictEqual(
        waiver('w1', { approvedBy: 'bruno', approvedAt: at(3) }),
      );
      await expect(store.write((w) => w.approveWaiver('w1', 'eva', at(4)))).rejects.toMatchObject({
        code: 'WAIVER_ALREADY_APPROVED',
      });
      await expect(store.write((w) => w.approveWaiver('w9', 'eva', at(4)))).rejects.toMatchObject({
        code: 'WAIVER_NOT_FOUND',
      });
      expect((await store.read((r) => r.getWaiver('w1')))?.approvedBy).toBe('bruno');
    });
  });

  describe('checklist confirmations', () => {
    it('round-trips confirmations and filters by release and environment', async () => {
      const store = await ctx.fresh();
      const second = confirmation('k1', { item: 'rollback rehearsed', confirmedAt: at(2) });
      const first = confirmation('k2', { confirmedAt: at(1) });
      const staging = confirmation('k3', { environment: 'staging' });
      await store.write(async (w) => {
        for (const record of [second, first, staging]) await w.insertChecklistConfirmation(record);
      });
      await store.read(async (r) => {
        expect(await r.listChecklistConfirmations('1.0.0', 'production')).toStrictEqual([
          first,
          second,
        ]);
        expect(await r.listChecklistConfirmations('1.0.0', 'staging')).toStrictEqual([staging]);
        expect(await r.listChecklistConfirmations('2.0.0', 'production')).toEqual([]);
      });
    });
  });

  describe('blockers', () => {
    it('round-trips blockers and lists an environment’s oldest first, openOnly without resolved', async () => {
      const store = await ctx.fresh();
      const resolved = blocker('b1', {
        createdAt: at(0),
        resolvedBy: 'eva',
        resolvedAt: at(9),
        resolution: 'fixed',
      });
      const open = blocker('b2', { createdAt: at(1) });
      const staging = blocker('b3', { environment: 'staging' });
      await store.write(async (w) => {
        for (const record of [open, resolved, staging]) await w.insertBlocker(record);
      });
      await store.read(async (r) => {
        expect(await r.getBlocker('b1')).toStrictEqual(resolved);
        expect(await r.getBlocker('nope')).toBeUndefined();
        expect(await r.listBlockers('production')).toStrictEqual([resolved, open]);
        expect(await r.listBlockers('production', { openOnly: true })).toStrictEqual([open]);
        expect(await r.listBlockers('production', { openOnly: false })).toHaveLength(2);
        expect(await r.listBlockers('staging')).toStrictEqual([staging]);
      });
    });

    it('resolves a blocker once, with or without a resolution', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.insertBlocker(blocker('b1'));
        await w.insertBlocker(blocker('b2'));
      });
      await store.write(async (w) => {
        await w.resolveBlocker('b1', 'eva', at(5), 'rolled back');
        await w.resolveBlocker('b2', 'eva', at(6));
      });
      await store.read(async (r) => {
        expect(await r.getBlocker('b1')).toStrictEqual(
          blocker('b1', { resolvedBy: 'eva', resolvedAt: at(5), resolution: 'rolled back' }),
        );
        expect(await r.getBlocker('b2')).toStrictEqual(
          blocker('b2', { resolvedBy: 'eva', resolvedAt: at(6) }),
        );
        expect(await r.listBlockers('production', { openOnly: true })).toEqual([]);
      });
      await expect(store.write((w) => w.resolveBlocker('b1', 'finn', at(7)))).rejects.toMatchObject(
        { code: 'BLOCKER_ALREADY_RESOLVED' },
      );
      await expect(store.write((w) => w.resolveBlocker('b9', 'finn', at(7)))).rejects.toMatchObject(
        { code: 'BLOCKER_NOT_FOUND' },
      );
    });
  });

  describe('deployments', () => {
    it('round-trips deployments and filters by release, environment, both or neither', async () => {
      const store = await ctx.fresh();
      const recorded = deployment('d1', {
        origin: 'recorded',
        status: 'succeeded',
        createdAt: at(-600),
        finishedAt: at(-590),
      });
      const queued = deployment('d2', { createdAt: at(1) });
      const staging = deployment('d3', { environment: 'staging', createdAt: at(0) });
      const next = deployment('d4', { release: '2.0.0', createdAt: at(2) });
      await store.write(async (w) => {
        for (const record of [queued, recorded, staging, next]) await w.insertDeployment(record);
      });
      await store.read(async (r) => {
        expect(await r.getDeployment('d1')).toStrictEqual(recorded);
        expect(await r.getDeployment('nope')).toBeUndefined();
        expect(await r.listDeployments()).toStrictEqual([recorded, staging, queued, next]);
        expect(await r.listDeployments({})).toHaveLength(4);
        expect(await r.listDeployments({ release: '1.0.0' })).toStrictEqual([
          recorded,
          staging,
          queued,
        ]);
        expect(await r.listDeployments({ environment: 'production' })).toStrictEqual([
          recorded,
          queued,
          next,
        ]);
        expect(
          await r.listDeployments({ release: '1.0.0', environment: 'production' }),
        ).toStrictEqual([recorded, queued]);
      });
    });

    it('updates a deployment’s status, keeping finishedAt unless one is given', async () => {
      const store = await ctx.fresh();
      await store.write((w) => w.insertDeployment(deployment('d1')));
      await store.write((w) => w.updateDeploymentStatus('d1', 'running'));
      expect(await store.read((r) => r.getDeployment('d1'))).toStrictEqual(
        deployment('d1', { status: 'running' }),
      );
      await store.write((w) => w.updateDeploymentStatus('d1', 'rolled_back', at(30)));
      await store.write((w) => w.updateDeploymentStatus('d1', 'rolled_back'));
      expect(await store.read((r) => r.getDeployment('d1'))).toStrictEqual(
        deployment('d1', { status: 'rolled_back', finishedAt: at(30) }),
      );
      await expect(
        store.write((w) => w.updateDeploymentStatus('d9', 'failed', at(1))),
      ).rejects.toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND' });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { at, incident, type StoreContractContext } from './store-contract-fixtures.js';

/** Incidents: round-trip, filters, and acknowledgement and resolution set once. */
export function describeIncidentCases(ctx: StoreContractContext): void {
  describe('incidents', () => {
    it('round-trips incidents with and without optional fields and filters them', async () => {
      const store = await ctx.fresh();
      const full = incident('inc_1', { ackDue: at(15), openedAt: at(1) });
      const { step: _step, ...minimal } = incident('inc_2', {
        trigger: 'manual',
        reason: 'checkout errors',
        deploymentId: 'dep_2',
        openedAt: at(2),
      });
      const staging = incident('inc_3', { environment: 'staging', severity: 'P2' });
      await store.write(async (w) => {
        for (const record of [minimal, staging, full]) await w.insertIncident(record);
      });
      await store.read(async (r) => {
        expect(await r.getIncident('inc_1')).toStrictEqual(full);
        expect(await r.getIncident('inc_2')).toStrictEqual(minimal);
        expect(await r.getIncident('nope')).toBeUndefined();
        expect(await r.listIncidents()).toStrictEqual([staging, full, minimal]);
        expect(await r.listIncidents({ environment: 'production' })).toStrictEqual([full, minimal]);
        expect(await r.listIncidents({ deploymentId: 'dep_2' })).toStrictEqual([minimal]);
      });
      // Another store over the same storage reads the same records.
      const other = await ctx.reopen(store);
      expect(await other.read((r) => r.getIncident('inc_1'))).toStrictEqual(full);
    });

    it('acknowledges once and resolves once; the status follows', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.insertIncident(incident('inc_1'));
        await w.insertIncident(incident('inc_2', { openedAt: at(1) }));
      });
      await store.write((w) => w.acknowledgeIncident('inc_1', 'eva', at(3)));
      expect(await store.read((r) => r.getIncident('inc_1'))).toStrictEqual(
        incident('inc_1', { status: 'acknowledged', acknowledgedBy: 'eva', acknowledgedAt: at(3) }),
      );
      await expect(
        store.write((w) => w.acknowledgeIncident('inc_1', 'finn', at(4))),
      ).rejects.toMatchObject({ code: 'INCIDENT_ALREADY_ACKNOWLEDGED', exitCode: 3 });
      await store.write(async (w) => {
        await w.resolveIncident('inc_1', 'eva', at(5), 'rolled back; fix in 1.2.1');
        await w.resolveIncident('inc_2', 'finn', at(6));
      });
      await store.read(async (r) => {
        expect(await r.getIncident('inc_1')).toStrictEqual(
          incident('inc_1', {
            status: 'resolved',
            acknowledgedBy: 'eva',
            acknowledgedAt: at(3),
            resolvedBy: 'eva',
            resolvedAt: at(5),
            resolution: 'rolled back; fix in 1.2.1',
          }),
        );
        expect(await r.getIncident('inc_2')).toStrictEqual(
          incident('inc_2', {
            openedAt: at(1),
            status: 'resolved',
            resolvedBy: 'finn',
            resolvedAt: at(6),
          }),
        );
        expect(await r.listIncidents({ unresolvedOnly: true })).toEqual([]);
      });
      await expect(
        store.write((w) => w.resolveIncident('inc_1', 'finn', at(7))),
      ).rejects.toMatchObject({ code: 'INCIDENT_ALREADY_RESOLVED' });
      await expect(
        store.write((w) => w.acknowledgeIncident('inc_2', 'finn', at(7))),
      ).rejects.toMatchObject({ code: 'INCIDENT_ALREADY_RESOLVED' });
      await expect(
        store.write((w) => w.resolveIncident('inc_9', 'finn', at(7))),
      ).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
      await expect(
        store.write((w) => w.acknowledgeIncident('inc_9', 'finn', at(7))),
      ).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    });

    it('lists only unresolved incidents when asked', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.insertIncident(incident('inc_1'));
        await w.insertIncident(incident('inc_2', { openedAt: at(1) }));
        await w.acknowledgeIncident('inc_2', 'eva', at(2));
      });
      await store.write((w) => w.resolveIncident('inc_1', 'eva', at(3)));
      const open = await store.read((r) =>
        r.listIncidents({ environment: 'production', unresolvedOnly: true }),
      );
      expect(open.map((i) => [i.id, i.status])).toEqual([['inc_2', 'acknowledged']]);
    });
  });
}

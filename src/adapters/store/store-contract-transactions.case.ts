import { describe, expect, it } from 'vitest';
import type { StoreReader } from '../../core/store/store.js';
import {
  appendEvents,
  auditEvent,
  hashOf,
  release,
  type StoreContractContext,
} from './store-contract-fixtures.js';

/** Transactions, their isolation, and the life of a store across re-opening. */
export function describeTransactionCases(ctx: StoreContractContext): void {
  describe('transactions', () => {
    it('returns what fn returns, from read and from write', async () => {
      const store = await ctx.fresh();
      expect(await store.write(() => Promise.resolve('written'))).toBe('written');
      expect(await store.read(() => Promise.resolve(42))).toBe(42);
    });

    it('keeps nothing of a write whose fn throws, and rethrows its error', async () => {
      const store = await ctx.fresh();
      const failure = new Error('refused halfway');
      await expect(
        store.write(async (w) => {
          await w.insertRelease(release('1.0.0'));
          await w.appendAuditEvent(auditEvent(1));
          expect(await w.getRelease('1.0.0')).toBeDefined();
          throw failure;
        }),
      ).rejects.toBe(failure);
      await store.read(async (r) => {
        expect(await r.listReleases()).toEqual([]);
        expect(await r.auditCount()).toBe(0);
      });
      // The store is still usable, and the failed append did not take seq 1.
      await store.write((w) => w.appendAuditEvent(auditEvent(1)));
      expect(await store.read((r) => r.auditCount())).toBe(1);
    });

    it('never resolves a write having silently dropped it after a caught failed statement', async () => {
      const store = await ctx.fresh();
      const outcome = await store
        .write(async (w) => {
          await w.insertRelease(release('1.0.0'));
          // A duplicate version fails; the caller catches that and carries on.
          await w.insertRelease(release('1.0.0')).catch(() => undefined);
        })
        .then(
          () => 'resolved',
          () => 'rejected',
        );
      const kept = await store.read((r) => r.listReleases());
      // SQLite undoes only the failed statement; PostgreSQL aborts the whole transaction.
      // Either way write() must tell the truth about what it kept.
      expect(kept).toHaveLength(outcome === 'resolved' ? 1 : 0);
    });

    it('serialises concurrent writes in one process', async () => {
      const store = await ctx.fresh();
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.write(async (w) => {
            const head = await w.auditHead();
            const seq = (head?.seq ?? 0) + 1;
            await w.appendAuditEvent(auditEvent(seq));
          }),
        ),
      );
      const events = await store.read((r) => r.auditEvents(1, 100));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('refuses a reader used after its read call returned', async () => {
      const store = await ctx.fresh();
      let leaked: StoreReader | undefined;
      await store.read((r) => {
        leaked = r;
        return Promise.resolve();
      });
      await expect(leaked!.listReleases()).rejects.toMatchObject({ code: 'STORE_SESSION_ENDED' });
      await expect(leaked!.auditEvents(1, 10)).rejects.toMatchObject({
        code: 'STORE_SESSION_ENDED',
      });
    });

    it('reads one snapshot while another store commits', async () => {
      const store = await ctx.fresh();
      const other = await ctx.reopen(store);
      await appendEvents(store, 1, 2);
      await store.read(async (r) => {
        expect(await r.auditCount()).toBe(2);
        await appendEvents(other, 3, 3);
        expect(await r.auditCount()).toBe(2);
        expect(await r.auditHead()).toEqual({ seq: 2, hash: hashOf(2) });
      });
      expect(await store.read((r) => r.auditCount())).toBe(3);
    });
  });

  describe('opening', () => {
    it('keeps its data when re-opened, and re-running the migrations changes nothing', async () => {
      const store = await ctx.fresh();
      await store.write((w) => w.insertRelease(release('1.0.0')));
      await appendEvents(store, 1, 5);
      await store.close();
      const again = await ctx.reopen(store);
      const third = await ctx.reopen(store);
      expect(third.location).toBe(store.location);
      for (const reopened of [again, third]) {
        await reopened.read(async (r) => {
          expect(await r.getRelease('1.0.0')).toStrictEqual(release('1.0.0'));
          expect(await r.auditHead()).toEqual({ seq: 5, hash: hashOf(5) });
        });
      }
      await again.write((w) => w.appendAuditEvent(auditEvent(6)));
      expect(await third.read((r) => r.auditCount())).toBe(6);
    });

    it('opens several stores on the same storage at once', async () => {
      const store = await ctx.fresh();
      const [first, , last] = await Promise.all([
        ctx.reopen(store),
        ctx.reopen(store),
        ctx.reopen(store),
      ]);
      await first.write((w) => w.appendAuditEvent(auditEvent(1)));
      expect(await last.read((r) => r.auditCount())).toBe(1);
    });

    it('closes idempotently', async () => {
      const store = await ctx.fresh();
      await store.close();
      await store.close();
    });
  });
}

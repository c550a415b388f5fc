import { describe, expect, it } from 'vitest';
import {
  type AuditEventPack,
  packAuditEvents,
  unpackAuditEvents,
} from '../../core/store/audit-event-pack.js';
import type { AuditEventRecord } from '../../core/store/records.js';
import {
  appendEvents,
  at,
  auditEvent,
  hashOf,
  type StoreContractContext,
} from './store-contract-fixtures.js';

const EVENTS = 3_000;

async function collect(
  batches: AsyncIterable<readonly AuditEventRecord[]>,
): Promise<{ sizes: number[]; events: AuditEventRecord[] }> {
  const sizes: number[] = [];
  const events: AuditEventRecord[] = [];
  for await (const batch of batches) {
    sizes.push(batch.length);
    events.push(...batch);
  }
  return { sizes, events };
}

/** The events of a pack, checking that it holds as many as it says. */
function unpacked(pack: AuditEventPack): AuditEventRecord[] {
  const events = unpackAuditEvents(pack);
  expect(events).toHaveLength(pack.count);
  return events!;
}

/** The audit log's part of the port: the seq rule, head and count, paging, checkpoints, keys. */
export function describeAuditCases(ctx: StoreContractContext): void {
  describe('audit events', () => {
    it('starts empty and takes seq 1 first, rejecting any other', async () => {
      const store = await ctx.fresh();
      await store.read(async (r) => {
        expect(await r.auditHead()).toBeUndefined();
        expect(await r.auditCount()).toBe(0);
        expect(await r.auditEvents(1, 10)).toEqual([]);
        expect((await collect(r.iterateAuditEvents(1))).sizes).toEqual([]);
        expect(unpacked(await r.auditEventPack(1, 10))).toEqual([]);
      });
      for (const seq of [0, 2]) {
        await expect(store.write((w) => w.appendAuditEvent(auditEvent(seq)))).rejects.toMatchObject(
          { code: 'AUDIT_SEQ_CONFLICT' },
        );
      }
      await store.write((w) => w.appendAuditEvent(auditEvent(1)));
      expect(await store.read((r) => r.auditHead())).toEqual({ seq: 1, hash: hashOf(1) });
    });

    it('rejects a seq that is not head + 1, and the transaction keeps nothing', async () => {
      const store = await ctx.fresh();
      await appendEvents(store, 1, 3);
      for (const seq of [1, 3, 5]) {
        await expect(
          store.write(async (w) => {
            await w.insertBlocker({
              id: `b${seq}`,
              environment: 'production',
              reason: 'r',
              createdBy: 'a',
              createdAt: at(0),
            });
            await w.appendAuditEvent(auditEvent(seq));
          }),
        ).rejects.toMatchObject({ code: 'AUDIT_SEQ_CONFLICT' });
      }
      await store.read(async (r) => {
        expect(await r.auditCount()).toBe(3);
        expect(await r.auditHead()).toEqual({ seq: 3, hash: hashOf(3) });
        expect(await r.listBlockers('production')).toEqual([]);
      });
    });

    it(`reads ${EVENTS.toLocaleString('en-US')} events back: head, count, pages and batches`, async () => {
      const store = await ctx.fresh();
      await appendEvents(store, 1, EVENTS);
      const expected = Array.from({ length: EVENTS }, (_, i) => auditEvent(i + 1));
      await store.read(async (r) => {
        expect(await r.auditHead()).toEqual({ seq: EVENTS, hash: hashOf(EVENTS) });
        expect(await r.auditCount()).toBe(EVENTS);
        expect(await r.auditEvents(1, 5)).toStrictEqual(expected.slice(0, 5));
        expect(await r.auditEvents(EVENTS - 2, 100)).toStrictEqual(expected.slice(EVENTS - 3));
        expect(await r.auditEvents(EVENTS + 1, 10)).toEqual([]);
        expect(await r.auditEvents(1, 0)).toEqual([]);

        const all = await collect(r.iterateAuditEvents(1, 700));
        expect(all.sizes).toEqual([700, 700, 700, 700, 200]);
        expect(all.events).toStrictEqual(expected);

        const exact = await collect(r.iterateAuditEvents(1, 1_000));
        expect(exact.sizes).toEqual([1_000, 1_000, 1_000]);

        const tail = await collect(r.iterateAuditEvents(EVENTS - 99));
        expect(tail.events).toStrictEqual(expected.slice(EVENTS - 100));
        expect((await collect(r.iterateAuditEvents(EVENTS + 1))).sizes).toEqual([]);
      });
    });

    it('packs events for verification: the same values, byte for byte, in seq order', async () => {
      const PACKED = 1_500;
      const store = await ctx.fresh();
      const awkward = auditEvent(1, {
        kind: 'note.added',
        subject: 'release:"1.0" \\ ✓ \u{1f680}',
        body: JSON.stringify({ note: 'tab\there, newline\n, ünïcødé ✓ \u{1f680}' }),
      });
      await store.write((w) => w.appendAuditEvent(awkward));
      await appendEvents(store, 2, PACKED);
      const expected = [
        awkward,
        ...Array.from({ length: PACKED - 1 }, (_, i) => auditEvent(i + 2)),
      ];
      await store.read(async (r) => {
        const first = await r.auditEventPack(1, 700);
        expect(first.count).toBe(700);
        expect(Buffer.from(first.bytes)).toEqual(
          Buffer.from(packAuditEvents(expected.slice(0, 700)).bytes),
        );
        const paged: AuditEventRecord[] = [];
        for (let from = 1; ; from += 1_000) {
          const page = unpacked(await r.auditEventPack(from, 1_000));
          if (page.length === 0) break;
          paged.push(...page);
        }
        expect(paged).toStrictEqual(expected);
        expect(unpacked(await r.auditEventPack(PACKED - 2, 100))).toStrictEqual(
          expected.slice(PACKED - 3),
        );
        expect(unpacked(await r.auditEventPack(PACKED + 1, 10))).toEqual([]);
        expect(unpacked(await r.auditEventPack(1, 0))).toEqual([]);
      });
    });

    it('sees its own appends inside the writing transaction', async () => {
      const store = await ctx.fresh();
      await store.write(async (w) => {
        await w.appendAuditEvent(auditEvent(1));
        await w.appendAuditEvent(auditEvent(2));
        expect(await w.auditHead()).toEqual({ seq: 2, hash: hashOf(2) });
        expect((await collect(w.iterateAuditEvents(1))).events).toStrictEqual([
          auditEvent(1),
          auditEvent(2),
        ]);
        expect(unpacked(await w.auditEventPack(1, 10))).toStrictEqual([
          auditEvent(1),
          auditEvent(2),
        ]);
      });
    });
  });

  describe('audit checkpoints and keys', () => {
    it('lists checkpoints ascending by seq', async () => {
      const store = await ctx.fresh();
      const checkpoint = (seq: number) => ({
        seq,
        hash: hashOf(seq),
        at: at(seq),
        keyId: 'k1',
        signature: Buffer.from(`signature ${seq}`).toString('base64'),
      });
      await store.write(async (w) => {
        for (const seq of [20, 5, 12]) await w.insertAuditCheckpoint(checkpoint(seq));
      });
      expect(await store.read((r) => r.listAuditCheckpoints())).toStrictEqual([
        checkpoint(5),
        checkpoint(12),
        checkpoint(20),
      ]);
    });

    it('inserts a key once however often it is given; a different key under its id is refused', async () => {
      const store = await ctx.fresh();
      const key = (keyId: string, publicKey = `-----BEGIN PUBLIC KEY-----\n${keyId}\n`) => ({
        keyId,
        publicKey,
        createdAt: at(0),
      });
      await store.write(async (w) => {
        await w.insertAuditKey(key('k1'));
        await w.insertAuditKey(key('k1'));
        await w.insertAuditKey(key('k2'));
      });
      await store.write((w) => w.insertAuditKey(key('k1')));
      expect(await store.read((r) => r.listAuditKeys())).toStrictEqual([key('k1'), key('k2')]);
      await expect(
        store.write((w) => w.insertAuditKey(key('k1', 'another key'))),
      ).rejects.toMatchObject({ code: 'AUDIT_KEY_CONFLICT' });
    });
  });
}

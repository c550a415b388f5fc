import { describe, expect, it } from 'vitest';
import type { AuditCheckpointRecord } from '../store/records.js';
import { FakeClock } from '../time/clock.js';
import { AUDIT_GENESIS_HASH, auditEventHash, readAuditEvent } from './audit-event.js';
import { AuditLog } from './audit-log.js';
import type { CheckpointAnchor } from './checkpoint-anchor.js';
import { checkpointPayload } from './checkpoint.js';
import { REDACTED } from './redact.js';
import { InMemoryAuditStore } from './testing/in-memory-audit-store.js';
import { sampleEvent } from './testing/sample-events.js';
import { seededSigner } from './testing/seeded-signer.js';
import { verify } from 'node:crypto';

const signer = seededSigner('audit-log test');

function setup(checkpointEvery = 4) {
  const store = new InMemoryAuditStore();
  const clock = new FakeClock('2026-11-23T09:30:00.000Z');
  const anchored: AuditCheckpointRecord[] = [];
  const anchor: CheckpointAnchor = {
    read: () => Promise.resolve(anchored.at(-1)),
    write: (checkpoint) => Promise.resolve(void anchored.push(checkpoint)),
  };
  const log = new AuditLog({ clock, signer, checkpointEvery, anchor });
  return { store, clock, anchored, log };
}

describe('AuditLog on an in-memory store', () => {
  it('chains events from the genesis hash, timed by the injected clock', async () => {
    const { store, clock, log } = setup();
    await store.write((w) => log.append(w, sampleEvent(0)));
    clock.advance(1500);
    await store.write((w) => log.append(w, sampleEvent(1)));

    const [first, second] = store.events;
    expect(first).toMatchObject({
      seq: 1,
      prevHash: AUDIT_GENESIS_HASH,
      at: '2026-11-23T09:30:00.000Z',
    });
    expect(first!.hash).toBe(auditEventHash(AUDIT_GENESIS_HASH, first!.body));
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash, at: '2026-11-23T09:30:01.500Z' });
    expect(readAuditEvent(second!)).toMatchObject({
      v: 1,
      seq: 2,
      kind: second!.kind,
      subject: second!.subject,
      actor: sampleEvent(1).actor,
    });
  });

  it('redacts secrets before the event is hashed and written', async () => {
    const { store, log } = setup();
    await store.write((w) =>
      log.append(w, {
        kind: 'notification.sent',
        subject: 'channel:ops',
        actor: { id: 'engine', authenticated: true },
        data: { webhook: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX' },
      }),
    );
    expect(store.events[0]!.body).not.toContain('hooks.slack.com');
    expect(readAuditEvent(store.events[0]!).data).toEqual({ webhook: REDACTED });
  });

  it('writes a signed checkpoint every N events and records the public key', async () => {
    const { store, log } = setup(4);
    await store.write((w) =>
      log.appendAll(
        w,
        Array.from({ length: 9 }, (_, i) => sampleEvent(i)),
      ),
    );

    expect(store.checkpoints.map((c) => c.seq)).toEqual([4, 8]);
    const checkpoint = store.checkpoints[1]!;
    expect(checkpoint).toMatchObject({ hash: store.events[7]!.hash, keyId: signer.keyId });
    const signature = Buffer.from(checkpoint.signature, 'base64');
    expect(verify(null, checkpointPayload(checkpoint), signer.publicKeyPem, signature)).toBe(true);
    expect(store.keys).toEqual([
      { keyId: signer.keyId, publicKey: signer.publicKeyPem, createdAt: checkpoint.at },
    ]);
  });

  it('checkpoints the head on demand, once per head', async () => {
    const { store, log } = setup(100);
    expect(await store.write((w) => log.checkpoint(w))).toBeUndefined();
    await store.write((w) => log.appendAll(w, [sampleEvent(0), sampleEvent(1)]));

    const first = await store.write((w) => log.checkpoint(w));
    const again = await store.write((w) => log.checkpoint(w));
    expect(first).toMatchObject({ seq: 2, hash: store.events[1]!.hash });
    expect(again).toEqual(first);
    expect(store.checkpoints).toHaveLength(1);
  });

  it('copies the checkpoint to the anchor only after its transaction committed', async () => {
    const { store, anchored, log } = setup(100);
    await store.write((w) => log.append(w, sampleEvent(0)));
    const sealed = await log.seal(store);
    expect(anchored).toEqual([sealed]);

    const failing = { write: () => Promise.reject(new Error('disk full')) };
    await expect(log.seal(failing)).rejects.toThrow('disk full');
    expect(anchored).toHaveLength(1);
  });

  it('keeps nothing of a transaction that failed', async () => {
    const { store, log } = setup(1);
    await expect(
      store.write(async (w) => {
        await log.append(w, sampleEvent(0));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow();
    expect(store.events).toEqual([]);
    expect(store.checkpoints).toEqual([]);
  });

  it('refuses a checkpoint interval that is not a positive integer', () => {
    const clock = new FakeClock('2026-11-23T09:30:00.000Z');
    expect(() => new AuditLog({ clock, signer, checkpointEvery: 0 })).toThrow(RangeError);
  });
});

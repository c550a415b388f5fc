import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditCheckpointRecord, AuditEventRecord } from '../store/records.js';
import { FakeClock } from '../time/clock.js';
import { auditEventHash } from './audit-event.js';
import { AuditLog } from './audit-log.js';
import { signCheckpoint } from './checkpoint.js';
import { InMemoryAuditStore } from './testing/in-memory-audit-store.js';
import { sampleEvent } from './testing/sample-events.js';
import { seededSigner } from './testing/seeded-signer.js';
import { type AuditReader, type VerifyAuditOptions, verifyAudit } from './verify-audit.js';

const signer = seededSigner('verify-audit test');
const stranger = seededSigner('someone else');
const trustedKeys = [signer.publicKeyPem];

/** 25 events, checkpoints at 5, 10, 15, 20 and the anchor at 25. */
async function buildLog() {
  const store = new InMemoryAuditStore();
  const clock = new FakeClock('2026-11-23T09:30:00.000Z');
  const log = new AuditLog({ clock, signer, checkpointEvery: 5 });
  for (let i = 0; i < 25; i++) {
    clock.advance(1000);
    await store.write((w) => log.append(w, sampleEvent(i)));
  }
  const anchor = await store.write((w) => log.checkpoint(w));
  store.checkpoints.pop();
  return { store, anchor: anchor! };
}

function at(store: InMemoryAuditStore, seq: number): AuditEventRecord {
  return store.events.find((event) => event.seq === seq)!;
}

function replace(store: InMemoryAuditStore, seq: number, change: Partial<AuditEventRecord>): void {
  store.events = store.events.map((event) => (event.seq === seq ? { ...event, ...change } : event));
}

/** Recomputes every hash from `seq` on, as someone rewriting history with care would. */
function rechainFrom(store: InMemoryAuditStore, seq: number): void {
  let prevHash = at(store, seq - 1).hash;
  store.events = store.events.map((event) => {
    if (event.seq < seq) return event;
    const hash = auditEventHash(prevHash, event.body);
    const rewritten = { ...event, prevHash, hash };
    prevHash = hash;
    return rewritten;
  });
}

let parallel = false;
let batchSize = 1000;
const verify = (reader: AuditReader, options: VerifyAuditOptions) =>
  verifyAudit(reader, { parallel, batchSize, ...options });

async function firstBad(store: InMemoryAuditStore, anchor?: AuditCheckpointRecord) {
  const verdict = await verify(store, { trustedKeys, ...(anchor && { anchor }) });
  expect(verdict.ok).toBe(false);
  return verdict.firstBad!;
}

function expectBad(bad: { seq: number; reason: string }, seq: number, fragment: string): void {
  expect(bad.seq).toBe(seq);
  expect(bad.reason).toContain(fragment);
}

describe.each([
  ['on this thread', false, 1000],
  ['on a worker thread', true, 1000],
  ['on this thread, in batches of 4', false, 4],
  ['on a worker thread, in batches of 4', true, 4],
])('verifyAudit on an in-memory store, checking hashes and columns %s', (_, inParallel, size) => {
  beforeAll(() => {
    parallel = inParallel;
    batchSize = size;
  });

  it('accepts the untouched log, with or without its anchor', async () => {
    const { store, anchor } = await buildLog();
    expect(await verify(store, { trustedKeys })).toEqual({
      ok: true,
      events: 25,
      firstBad: null,
    });
    expect(await verify(store, { trustedKeys, anchor })).toEqual({
      ok: true,
      events: 25,
      firstBad: null,
    });
  });

  it('accepts an empty log', async () => {
    const verdict = await verify(new InMemoryAuditStore(), { trustedKeys });
    expect(verdict).toEqual({ ok: true, events: 0, firstBad: null });
  });

  it('trusts keys given as key records, by their recomputed key id', async () => {
    const { store } = await buildLog();
    const record = { keyId: 'whatever', publicKey: signer.publicKeyPem, createdAt: '' };
    expect((await verify(store, { trustedKeys: [record] })).ok).toBe(true);
  });

  it('reports progress after each batch', async () => {
    const { store } = await buildLog();
    const seen: number[] = [];
    await verify(store, {
      trustedKeys,
      batchSize: 10,
      onProgress: (p) => seen.push(p.verified),
    });
    expect(seen).toEqual([10, 20, 25]);
  });

  it('accepts columns JSON escapes, which the quick check leaves to the record check', async () => {
    const { store, anchor } = await buildLog();
    const clock = new FakeClock('2026-11-24T09:30:00.000Z');
    const log = new AuditLog({ clock, signer, checkpointEvery: 5 });
    const quoted = { ...sampleEvent(0), subject: 'release:"1.0"\\n' };
    await store.write((w) => log.append(w, quoted));
    for (let i = 0; i < 9; i++) await store.write((w) => log.append(w, sampleEvent(i)));
    expect(await verify(store, { trustedKeys })).toEqual({ ok: true, events: 35, firstBad: null });
    replace(store, 33, { kind: 'forged' });
    expect(await firstBad(store, anchor)).toEqual({
      seq: 33,
      reason: 'event 33: its kind column differs from its hashed contents (edited?)',
    });
  });

  it('finds an edited body', async () => {
    const { store, anchor } = await buildLog();
    replace(store, 12, { body: at(store, 12).body.replace(/"staging"|"production"/, '"qa"') });
    const bad = await firstBad(store, anchor);
    expect(bad).toEqual({
      seq: 12,
      reason: 'event 12: hash does not match its contents (edited?)',
    });
  });

  it('finds an edited hash', async () => {
    const { store } = await buildLog();
    replace(store, 7, { hash: 'f'.repeat(64) });
    expect(await firstBad(store)).toEqual({
      seq: 7,
      reason: 'event 7: hash does not match its contents (edited?)',
    });
  });

  it.each(['kind', 'subject', 'at'] as const)('finds an edited %s column', async (column) => {
    const { store } = await buildLog();
    replace(store, 9, { [column]: column === 'at' ? '2020-01-01T00:00:00.000Z' : 'forged' });
    expect(await firstBad(store)).toEqual({
      seq: 9,
      reason: `event 9: its ${column} column differs from its hashed contents (edited?)`,
    });
  });

  it('finds a deleted event', async () => {
    const { store } = await buildLog();
    store.events = store.events.filter((event) => event.seq !== 13);
    expect(await firstBad(store)).toEqual({ seq: 13, reason: 'event 13 is missing (deleted?)' });
  });

  it('finds the first event deleted', async () => {
    const { store } = await buildLog();
    store.events.shift();
    expect(await firstBad(store)).toMatchObject({ seq: 1 });
  });

  it('finds a renumbered event whose link no longer fits', async () => {
    const { store } = await buildLog();
    store.events = store.events.filter((event) => event.seq !== 13);
    replace(store, 14, { seq: 13 });
    expect(await firstBad(store)).toEqual({
      seq: 13,
      reason:
        'event 13: does not follow event 12 (an event before it was deleted, inserted or moved?)',
    });
  });

  it('finds reordered events', async () => {
    const { store } = await buildLog();
    const [a, b] = [store.events[5]!, store.events[8]!];
    store.events[5] = b;
    store.events[8] = a;
    expect(await firstBad(store)).toEqual({
      seq: 6,
      reason: 'events 6 to 8 are missing (deleted?)',
    });
  });

  it('finds two events whose contents were swapped under their seq numbers', async () => {
    const { store } = await buildLog();
    const [a, b] = [at(store, 6), at(store, 9)];
    replace(store, 6, { ...b, seq: 6 });
    replace(store, 9, { ...a, seq: 9 });
    expectBad(await firstBad(store), 6, 'follow');
  });

  it('finds history rewritten with recomputed hashes at the next checkpoint', async () => {
    const { store } = await buildLog();
    replace(store, 12, { body: at(store, 12).body.replace(/"staging"|"production"/, '"qa"') });
    rechainFrom(store, 12);
    expect(await firstBad(store)).toEqual({
      seq: 15,
      reason: 'event 15: hash differs from the one checkpoint signed (log rewritten?)',
    });
  });

  it('finds history rewritten after the last checkpoint in the store, by the anchor', async () => {
    const { store, anchor } = await buildLog();
    replace(store, 23, { body: at(store, 23).body.replace(/"staging"|"production"/, '"qa"') });
    rechainFrom(store, 23);
    expect((await verify(store, { trustedKeys })).ok).toBe(true);
    expect(await firstBad(store, anchor)).toEqual({
      seq: 25,
      reason:
        'event 25: hash differs from the one the checkpoint kept beside the store signed (log rewritten?)',
    });
  });

  it('finds a checkpoint whose hash was edited', async () => {
    const { store } = await buildLog();
    store.checkpoints[1] = { ...store.checkpoints[1]!, hash: at(store, 9).hash };
    expect(await firstBad(store)).toEqual({
      seq: 10,
      reason: 'checkpoint at event 10: signature does not verify (edited?)',
    });
  });

  it('finds a checkpoint with a damaged signature', async () => {
    const { store } = await buildLog();
    const signature = Buffer.from(store.checkpoints[2]!.signature, 'base64');
    signature[0] = signature[0]! ^ 1;
    store.checkpoints[2] = { ...store.checkpoints[2]!, signature: signature.toString('base64') };
    expect(await firstBad(store)).toMatchObject({ seq: 15 });
  });

  it('finds a checkpoint re-signed by a key the store knows but the verifier does not trust', async () => {
    const { store } = await buildLog();
    const old = store.checkpoints[0]!;
    store.checkpoints[0] = signCheckpoint(old, old.at, stranger);
    await store.insertAuditKey({
      keyId: stranger.keyId,
      publicKey: stranger.publicKeyPem,
      createdAt: old.at,
    });
    expect(await firstBad(store)).toEqual({
      seq: 5,
      reason: `checkpoint at event 5 is signed by key ${stranger.keyId}, which is not trusted (re-signed?)`,
    });
  });

  it('finds a truncated tail by the anchor, though the store lost its newest checkpoints too', async () => {
    const { store, anchor } = await buildLog();
    store.events = store.events.filter((event) => event.seq < 18);
    store.checkpoints = store.checkpoints.filter((checkpoint) => checkpoint.seq < 18);
    expect((await verify(store, { trustedKeys })).ok).toBe(true);
    expect(await firstBad(store, anchor)).toEqual({
      seq: 18,
      reason:
        'events 18 to 25 are missing: the checkpoint kept beside the store covers event 25 but the log ends at event 17 (truncated?)',
    });
  });

  it('finds a truncated tail by a checkpoint left in the store', async () => {
    const { store } = await buildLog();
    store.events = store.events.filter((event) => event.seq < 20);
    expectBad(await firstBad(store), 20, 'event 20 is missing');
  });

  it('finds a log emptied entirely', async () => {
    const { store, anchor } = await buildLog();
    store.events = [];
    store.checkpoints = [];
    expectBad(await firstBad(store, anchor), 1, 'the log is empty');
  });

  it('does not take an anchor signed by an untrusted key as proof of anything', async () => {
    const { store, anchor } = await buildLog();
    const forged = signCheckpoint({ seq: 40, hash: anchor.hash }, anchor.at, stranger);
    expectBad(await firstBad(store, forged), 40, 'not trusted');
  });
});

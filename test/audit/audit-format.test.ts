import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { type AuditEventBody, auditEventBody } from '../../src/core/audit/audit-event.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { checkpointPayload } from '../../src/core/audit/checkpoint.js';
import { sampleEvent } from '../../src/core/audit/testing/sample-events.js';
import { seededSigner } from '../../src/core/audit/testing/seeded-signer.js';
import { FakeClock } from '../../src/core/time/clock.js';

/*
 * docs/audit.md promises a third party can verify a log without eclusa. These tests are
 * that third party: they use node:crypto and the database alone, following the page.
 */

const doc = readFileSync(new URL('../../docs/audit.md', import.meta.url), 'utf8');
const example = doc.slice(doc.indexOf('## Worked example'));
const fields = (name: string): string[] =>
  [...example.matchAll(new RegExp(`^${name} +(\\S.*)$`, 'gm'))].map((match) => match[1]!);

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');
const keyIdOf = (pem: string): string =>
  sha256(createPublicKey(pem).export({ type: 'spki', format: 'der' })).slice(0, 16);
const signed = (c: { seq: number; hash: string; at: string; keyId: string }): string =>
  `{"at":${JSON.stringify(c.at)},"hash":"${c.hash}","keyId":"${c.keyId}","seq":${c.seq},"v":1}`;

describe('the worked example in docs/audit.md', () => {
  const bodies = fields('body');
  const prevHashes = fields('prev_hash');
  const hashes = fields('hash');
  const pem = /-----BEGIN PUBLIC KEY-----\n[^-]+-----END PUBLIC KEY-----\n/.exec(example)![0];

  it('chains its events as the page says', () => {
    expect(bodies).toHaveLength(2);
    expect(prevHashes[0]).toBe('0'.repeat(64));
    for (const [i, body] of bodies.entries()) {
      expect(sha256(Buffer.from(prevHashes[i]! + body, 'utf8'))).toBe(hashes[i]);
    }
    expect(prevHashes[1]).toBe(hashes[0]);
  });

  it('has bodies eclusa writes byte for byte', () => {
    for (const body of bodies) {
      const { v: _v, ...rest } = JSON.parse(body) as AuditEventBody;
      expect(auditEventBody(rest)).toBe(body);
    }
  });

  it('has a checkpoint whose key id and signature check out with the stated key', () => {
    const [keyId] = fields('keyId');
    const [signature] = fields('signature');
    const [payload] = fields('signed');
    expect(keyIdOf(pem)).toBe(keyId);
    const checkpoint = { seq: 2, hash: hashes[2]!, at: fields('at')[0]!, keyId: keyId! };
    expect(signed(checkpoint)).toBe(payload);
    expect(checkpointPayload({ ...checkpoint }).toString()).toBe(payload);
    expect(verify(null, Buffer.from(payload!), pem, Buffer.from(signature!, 'base64'))).toBe(true);
  });
});

describe('a log eclusa wrote to SQLite, verified by the page alone', () => {
  it('checks out: chain, columns, checkpoints and key ids', async () => {
    const home = await mkdtemp(join(tmpdir(), 'eclusa-format-'));
    try {
      const signer = seededSigner('format test');
      const store = await openSqliteStore({ home });
      const log = new AuditLog({
        clock: new FakeClock('2026-11-23T09:30:00.000Z'),
        signer,
        checkpointEvery: 25,
      });
      const inputs = Array.from({ length: 60 }, (_, i) => sampleEvent(i));
      await store.write((writer) => log.appendAll(writer, inputs));
      await log.seal(store);
      await store.close();

      const db = new BetterSqlite3(join(home, 'eclusa.db'), { readonly: true });
      type Row = { seq: number; at: string; kind: string; subject: string; body: string };
      const events = db
        .prepare(
          'select seq, at, kind, subject, body, prev_hash, hash from audit_events order by seq',
        )
        .all() as (Row & { prev_hash: string; hash: string })[];
      let prev = '0'.repeat(64);
      for (const [i, event] of events.entries()) {
        expect(event.seq).toBe(i + 1);
        expect(event.prev_hash).toBe(prev);
        expect(sha256(Buffer.from(prev + event.body, 'utf8'))).toBe(event.hash);
        const body = JSON.parse(event.body) as AuditEventBody;
        expect(body).toMatchObject({ v: 1, seq: event.seq, at: event.at, kind: event.kind });
        expect(body.subject).toBe(event.subject);
        prev = event.hash;
      }
      const checkpoints = db
        .prepare('select seq, hash, at, key_id as keyId, signature from audit_checkpoints')
        .all() as { seq: number; hash: string; at: string; keyId: string; signature: string }[];
      expect(checkpoints.map((c) => c.seq)).toEqual([25, 50, 60]);
      for (const checkpoint of checkpoints) {
        expect(checkpoint.keyId).toBe(keyIdOf(signer.publicKeyPem));
        expect(checkpoint.hash).toBe(events[checkpoint.seq - 1]!.hash);
        const signature = Buffer.from(checkpoint.signature, 'base64');
        expect(verify(null, Buffer.from(signed(checkpoint)), signer.publicKeyPem, signature)).toBe(
          true,
        );
      }
      db.close();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

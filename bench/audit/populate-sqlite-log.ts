import BetterSqlite3 from 'better-sqlite3';
import { AUDIT_GENESIS_HASH } from '../../src/core/audit/audit-event.js';
import { signCheckpoint } from '../../src/core/audit/checkpoint.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../../src/core/audit/audit-log.js';
import { nextAuditEvent } from '../../src/core/audit/next-audit-event.js';
import type { Signer } from '../../src/core/audit/signer.js';
import { sampleEvent } from '../../src/core/audit/testing/sample-events.js';

/**
 * Writes a valid log of `count` events straight into a migrated SQLite store, in one
 * transaction of prepared inserts: the same events and checkpoints `AuditLog` would
 * write, far faster than one `appendAuditEvent` each. Returns the number of checkpoints.
 */
export function populateSqliteLog(file: string, count: number, signer: Signer): number {
  const db = new BetterSqlite3(file);
  const insertEvent = db.prepare(
    'insert into audit_events (seq, at, kind, subject, body, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCheckpoint = db.prepare(
    'insert into audit_checkpoints (seq, hash, at, key_id, signature) values (?, ?, ?, ?, ?)',
  );
  const start = Date.UTC(2026, 10, 23);
  let checkpoints = 0;
  db.transaction(() => {
    db.prepare('insert into audit_keys (key_id, public_key, created_at) values (?, ?, ?)').run(
      signer.keyId,
      signer.publicKeyPem,
      new Date(start).toISOString(),
    );
    let head = { seq: 0, hash: AUDIT_GENESIS_HASH };
    for (let i = 0; i < count; i++) {
      const at = new Date(start + i * 1000).toISOString();
      const event = nextAuditEvent(head, sampleEvent(i), at);
      insertEvent.run(
        event.seq,
        at,
        event.kind,
        event.subject,
        event.body,
        event.prevHash,
        event.hash,
      );
      head = event;
      if (event.seq % DEFAULT_CHECKPOINT_EVERY === 0 || event.seq === count) {
        const checkpoint = signCheckpoint(event, at, signer);
        const { seq, hash, keyId, signature } = checkpoint;
        insertCheckpoint.run(seq, hash, at, keyId, signature);
        checkpoints++;
      }
    }
  })();
  db.close();
  return checkpoints;
}

/**
 * Reads a SQLite store's audit log of BENCH_EVENTS events (default 1,000,000) through
 * `iterateAuditEvents`, as `eclusa audit verify` does, and prints events per second.
 * The events are seeded straight into the table (not through `appendAuditEvent`): only
 * the read is measured.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';

const events = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-'));

try {
  // Seeded between two opens, so the events sit in the database file as a long-lived log's
  // would, not in a write-ahead log that a checkpoint has yet to fold in.
  await (await openSqliteStore({ home })).close();
  seed(join(home, 'eclusa.db'), events);
  const store = await openSqliteStore({ home });

  for (let run = 1; run <= runs; run++) {
    const started = process.hrtime.bigint();
    const seen = await store.read(async (reader) => {
      let count = 0;
      for await (const batch of reader.iterateAuditEvents(1)) count += batch.length;
      return count;
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (seen !== events) throw new Error(`read ${seen} events, expected ${events}`);
    const rate = Math.round(seen / seconds).toLocaleString('en-US');
    console.log(`run ${run}: ${seen} events in ${seconds.toFixed(2)} s = ${rate} events/s`);
  }
  await store.close();
} finally {
  rmSync(home, { recursive: true, force: true });
}

/** Events shaped like the audit log's own: a canonical JSON body and SHA-256 hex hashes. */
function seed(file: string, count: number): void {
  const db = new BetterSqlite3(file);
  const insert = db.prepare(
    'insert into audit_events (seq, at, kind, subject, body, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)',
  );
  let prevHash = '0'.repeat(64);
  db.transaction(() => {
    for (let seq = 1; seq <= count; seq++) {
      const at = new Date(Date.UTC(2026, 10, 23) + seq * 1000).toISOString();
      const body = JSON.stringify({
        seq,
        at,
        kind: 'check.reported',
        subject: `release:1.${seq % 100}.0`,
        actor: { id: 'ci-bot', authenticated: true },
        data: { name: 'unit-tests', status: 'pass', evidence: `sha256:${prevHash}` },
        prevHash,
      });
      const hash = createHash('sha256').update(body).digest('hex');
      insert.run(seq, at, 'check.reported', `release:1.${seq % 100}.0`, body, prevHash, hash);
      prevHash = hash;
    }
  })();
  db.close();
}

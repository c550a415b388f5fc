import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpointAnchor } from '../../src/adapters/keys/file-checkpoint-anchor.js';
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { sampleEvent } from '../../src/core/audit/testing/sample-events.js';
import { seededSigner } from '../../src/core/audit/testing/seeded-signer.js';
import { verifyAudit } from '../../src/core/audit/verify-audit.js';
import type { AuditCheckpointRecord } from '../../src/core/store/records.js';
import type { Store } from '../../src/core/store/store.js';
import { FakeClock } from '../../src/core/time/clock.js';
import { type PostgresServer, startPostgres } from '../support/postgres-server.js';
import { seededRandom } from '../support/seeded-random.js';
import { type CheckpointRow, TAMPERINGS, type TamperContext } from './tamperings.js';
import { transactionSql } from './transaction-sql.js';

/*
 * Builds a real log in each store, then applies thousands of seeded random tamperings by
 * raw SQL, each inside a write transaction that is rolled back once verifyAudit has judged
 * it. Every one must be reported at exactly the right event. Re-run one failure with the
 * seed printed in its test name.
 */

const EVENTS = 320;
const CHECKPOINT_EVERY = 50;
const SEED = 0x0ec1a5a;
const signer = seededSigner('tamper test: the instance key');
const stranger = seededSigner('tamper test: someone else');

class RolledBack extends Error {}

interface Subject {
  store: Store;
  anchor: AuditCheckpointRecord;
  context: Omit<TamperContext, 'db' | 'random'>;
}

async function buildLog(store: Store, home: string): Promise<Subject> {
  const clock = new FakeClock('2026-11-23T09:30:00.000Z');
  const anchorFile = fileCheckpointAnchor(home);
  const log = new AuditLog({
    clock,
    signer,
    checkpointEvery: CHECKPOINT_EVERY,
    anchor: anchorFile,
  });
  for (let i = 0; i < EVENTS; i += 40) {
    clock.advance(60_000);
    const inputs = Array.from({ length: Math.min(40, EVENTS - i) }, (_, j) => sampleEvent(i + j));
    await store.write((writer) => log.appendAll(writer, inputs));
  }
  await log.seal(store);
  const anchor = (await anchorFile.read())!;
  const [events, checkpoints] = await store.read(async (reader) => [
    await reader.auditEvents(1, EVENTS + 1),
    await reader.listAuditCheckpoints(),
  ]);
  const rows = await store.write(async (writer) => {
    const result = await sql<CheckpointRow>`select ord, seq, hash, at, key_id as "keyId",
      signature from audit_checkpoints order by seq`.execute(transactionSql(writer));
    return result.rows.map((row) => ({ ...row, ord: Number(row.ord), seq: Number(row.seq) }));
  });
  expect(rows).toHaveLength(checkpoints.length);
  const coveredSeqs = [...new Set([...checkpoints.map((c) => c.seq), anchor.seq])].sort(
    (a, b) => a - b,
  );
  return { store, anchor, context: { events, checkpoints: rows, coveredSeqs, stranger } };
}

function tamperSuite(
  name: string,
  casesPerKind: number,
  open: () => Promise<{ store: Store; home: string; close: () => Promise<void> } | string>,
): void {
  describe(`tampering with a real ${name} store`, () => {
    let subject: Subject | undefined;
    let skipped: string | undefined;
    let close = async (): Promise<void> => {};

    beforeAll(async () => {
      const opened = await open();
      if (typeof opened === 'string') {
        skipped = opened;
        return;
      }
      close = opened.close;
      subject = await buildLog(opened.store, opened.home);
    });
    afterAll(() => close());

    const verify = (reader: Parameters<typeof verifyAudit>[0], s: Subject) =>
      verifyAudit(reader, {
        trustedKeys: [signer.publicKeyPem],
        anchor: s.anchor,
        parallel: false,
      });

    it('accepts the untouched log', async (test) => {
      if (skipped !== undefined) return test.skip(skipped); // skip reason: why PostgreSQL is unavailable (never under CI=true)
      const s = subject!;
      expect(await s.store.read((reader) => verify(reader, s))).toEqual({
        ok: true,
        events: EVENTS,
        firstBad: null,
      });
    });

    it.for(TAMPERINGS.map((t, i) => [t.name, i] as const))(
      `%s: ${casesPerKind} seeded cases (seed ${SEED} + %i), each found at the right event`,
      async ([, kind], test) => {
        if (skipped !== undefined) return test.skip(skipped); // skip reason: why PostgreSQL is unavailable (never under CI=true)
        const s = subject!;
        const tampering = TAMPERINGS[kind]!;
        const random = seededRandom(SEED + kind);
        const misses: string[] = [];
        for (let n = 0; n < casesPerKind; n++) {
          await s.store
            .write(async (writer) => {
              const db = transactionSql(writer);
              const expected = await tampering.apply({ ...s.context, db, random });
              const verdict = await verify(writer, s);
              if (verdict.ok || verdict.firstBad?.seq !== expected) {
                misses.push(
                  `case ${n}: expected event ${expected}, got ${JSON.stringify(verdict)}`,
                );
              }
              throw new RolledBack();
            })
            .catch((error: unknown) => {
              if (!(error instanceof RolledBack)) throw error;
            });
        }
        expect(misses).toEqual([]);
      },
    );

    it('leaves the log untouched after every rollback', async (test) => {
      if (skipped !== undefined) return test.skip(skipped); // skip reason: why PostgreSQL is unavailable (never under CI=true)
      const s = subject!;
      expect((await s.store.read((reader) => verify(reader, s))).ok).toBe(true);
    });
  });
}

tamperSuite('SQLite', 230, async () => {
  const home = await mkdtemp(join(tmpdir(), 'eclusa-tamper-'));
  const store = await openSqliteStore({ home });
  return {
    store,
    home,
    close: async () => {
      await store.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});

tamperSuite('PostgreSQL', 60, async () => {
  // Under CI a missing PostgreSQL throws here and fails the suite; elsewhere it is a skip.
  const server: PostgresServer | { skip: string } = await startPostgres();
  if ('skip' in server) return server.skip;
  const home = await mkdtemp(join(tmpdir(), 'eclusa-tamper-pg-'));
  const store = await openPostgresStore({ url: server.url });
  return {
    store,
    home,
    close: async () => {
      await store.close();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
});

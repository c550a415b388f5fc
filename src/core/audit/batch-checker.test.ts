import { isUtf8 } from 'node:buffer';
import { createHash, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import {
  AUDIT_PACK_SEPARATOR,
  auditPackLayout,
  packAuditEvents,
} from '../store/audit-event-pack.js';
import type { AuditEventRecord } from '../store/records.js';
import { inThreadBatchChecker, workerBatchChecker } from './batch-checker.js';
import { eventColumns, firstBadEvent } from './event-check.js';
import { nextAuditEvent } from './next-audit-event.js';
import { packIntact } from './pack-check.js';
import { testChain } from './testing/test-chain.js';

const layoutOf = (events: readonly AuditEventRecord[]) => auditPackLayout(packAuditEvents(events))!;
const intact = (events: readonly AuditEventRecord[]) => {
  const { bytes, ends } = layoutOf(events);
  return packIntact(hash, isUtf8, bytes, ends);
};
/** What the record check says: whether it finds nothing wrong with the hashes and columns. */
const clean = (events: readonly AuditEventRecord[]) =>
  firstBadEvent(hash, eventColumns(events)) === null;

describe('pack checkers', () => {
  const events = testChain(40);
  const edit = (index: number, change: Partial<AuditEventRecord>) =>
    events.map((event, i) => (i === index ? { ...event, ...change } : event));
  const edited = [
    edit(17, { body: events[17]!.body.replace('"v":1', '"v":2') }),
    edit(3, { hash: events[4]!.hash }),
    edit(3, { prevHash: events[4]!.hash }),
    edit(9, { kind: 'forged' }),
    edit(9, { subject: `${events[9]!.subject}"` }),
    edit(30, { at: '2020-01-01T00:00:00.000Z' }),
    edit(39, { hash: events[39]!.hash.toUpperCase() }),
  ];

  it('pass an intact pack and doubt every edited one, on this thread', async () => {
    expect(intact(events)).toBe(true);
    expect(intact([])).toBe(true);
    expect(edited.map(intact)).toEqual(edited.map(() => false));
    expect(await inThreadBatchChecker.check(layoutOf(events))).toBe(true);
  });

  it('answer the same on a worker thread, and here when it falls behind', async () => {
    const worker = workerBatchChecker();
    try {
      const answers = await Promise.all([events, ...edited].map((b) => worker.check(layoutOf(b))));
      expect(answers).toEqual([true, ...edited.map(() => false)]);
    } finally {
      await worker.close();
    }
  });

  it('doubt a column JSON escapes, and never take one written as JSON for the value', () => {
    const genesis = { seq: 0, hash: '0'.repeat(64) };
    const withSubject = (subject: string) =>
      nextAuditEvent(
        genesis,
        { kind: 'note.added', subject, actor: { id: 'a', authenticated: true } },
        '2026-11-23T09:30:00.000Z',
      );
    const quoted = withSubject('say "hi"');
    expect(clean([quoted])).toBe(true);
    expect(intact([quoted])).toBe(false);
    // The body holds C:\\temp (JSON for C:\temp); a column saying C:\\temp is not that.
    const path = withSubject('C:\\temp');
    const doubled = { ...path, subject: 'C:\\\\temp' };
    expect(clean([doubled])).toBe(false);
    expect(intact([doubled])).toBe(false);
  });

  it('doubt text that is not UTF-8, though its bytes hash right', () => {
    // The record check sees such bytes decoded (U+FFFD), so only it may judge them.
    const body = Buffer.from(events[0]!.body.replace('staging', 'stag\u00e9ng'));
    body[body.indexOf(0xc3) + 1] = 0x41;
    const prevHash = '0'.repeat(64);
    const digest = createHash('sha256').update(prevHash).update(body).digest('hex');
    const { seq, at, kind, subject } = events[0]!;
    const values = [String(seq), prevHash, body, digest, at, kind, subject];
    const bytes = Buffer.concat(
      values.flatMap((value) => [Buffer.from(value), Buffer.of(AUDIT_PACK_SEPARATOR)]),
    );
    const layout = auditPackLayout({ count: 1, bytes })!;
    expect(packIntact(hash, isUtf8, layout.bytes, layout.ends)).toBe(false);
  });

  it('never pass what the record check refuses: random edits of one value', () => {
    const random = seededRandom(0x9ac4);
    const columns = ['body', 'hash', 'prevHash', 'at', 'kind', 'subject'] as const;
    const alphabet = 'ab"\\:,{}0123456789.-é✓';
    let refused = 0;
    for (let n = 0; n < 5_000; n++) {
      const index = Math.floor(random() * events.length);
      const column = columns[Math.floor(random() * columns.length)]!;
      const value = events[index]![column];
      const at = Math.floor(random() * (value.length + 1));
      const cut = Math.floor(random() * 3);
      const insert = alphabet[Math.floor(random() * alphabet.length)]!.repeat(
        Math.floor(random() * 3),
      );
      const changed = value.slice(0, at) + insert + value.slice(at + cut);
      const batch = [{ ...events[index]!, [column]: changed }];
      if (!clean(batch)) {
        refused++;
        expect({ column, value: changed, intact: intact(batch) }).toMatchObject({
          intact: false,
        });
      }
    }
    expect(refused).toBeGreaterThan(3_500);
  });
});

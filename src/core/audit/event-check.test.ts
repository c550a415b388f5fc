import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEventRecord } from '../store/records.js';
import { eventColumns, firstBadEvent } from './event-check.js';
import { testChain } from './testing/test-chain.js';
import { nextAuditEvent } from './next-audit-event.js';

describe('firstBadEvent, the check that names what is wrong', () => {
  const events = testChain(40);
  const edit = (index: number, change: Partial<AuditEventRecord>) =>
    events.map((event, i) => (i === index ? { ...event, ...change } : event));

  it('finds the first bad event of each batch', () => {
    const batches = [
      events,
      edit(17, { body: events[17]!.body.replace('"v":1', '"v":2') }),
      edit(3, { hash: events[4]!.hash }),
      edit(9, { kind: 'forged' }),
      edit(9, { subject: `${events[9]!.subject}"` }),
      edit(30, { at: '2020-01-01T00:00:00.000Z' }),
    ];
    expect(batches.map((batch) => firstBadEvent(hash, eventColumns(batch)))).toEqual([
      null,
      { index: 17, what: 'hash' },
      { index: 3, what: 'hash' },
      { index: 9, what: 'kind' },
      { index: 9, what: 'subject' },
      { index: 30, what: 'at' },
    ]);
  });

  it('reads values JSON escapes, and never takes a column written as JSON for the value', () => {
    const input = (subject: string) => ({
      kind: 'note.added',
      subject,
      actor: { id: 'a"b', authenticated: true },
    });
    const genesis = { seq: 0, hash: '0'.repeat(64) };
    const at = '2026-11-23T09:30:00.000Z';
    const quoted = nextAuditEvent(genesis, input('say "hi"\n\ttwice'), at);
    expect(firstBadEvent(hash, eventColumns([quoted]))).toBeNull();
    // The body holds C:\\temp (JSON for C:\temp); a column saying C:\\temp must not pass.
    const path = nextAuditEvent(genesis, input('C:\\temp'), at);
    expect(firstBadEvent(hash, eventColumns([path]))).toBeNull();
    const doubled = { ...path, subject: 'C:\\\\temp' };
    expect(firstBadEvent(hash, eventColumns([doubled]))).toEqual({ index: 0, what: 'subject' });
  });
});

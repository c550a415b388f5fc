import type { AuditEventRecord } from '../../store/records.js';
import { AUDIT_GENESIS_HASH } from '../audit-event.js';
import { nextAuditEvent } from '../next-audit-event.js';
import { sampleEvent } from './sample-events.js';

/** A valid chain of `length` sample events, from seq 1, one second apart. */
export function testChain(length: number): AuditEventRecord[] {
  let head = { seq: 0, hash: AUDIT_GENESIS_HASH };
  return Array.from({ length }, (_, i) => {
    const at = new Date(Date.UTC(2026, 10, 23, 9, 30) + i * 1000).toISOString();
    const event = nextAuditEvent(head, sampleEvent(i), at);
    head = event;
    return event;
  });
}

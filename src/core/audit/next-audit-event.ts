import type { AuditEventRecord } from '../store/records.js';
import { type AuditEventInput, auditEventBody, auditEventHash } from './audit-event.js';
import { redact, wellFormed } from './redact.js';

/** The event that follows `head` (seq 0 and the genesis hash for an empty log), redacted and chained. */
export function nextAuditEvent(
  head: { readonly seq: number; readonly hash: string },
  input: AuditEventInput,
  at: string,
): AuditEventRecord {
  const seq = head.seq + 1;
  const kind = wellFormed(input.kind);
  const subject = wellFormed(input.subject);
  const actor = { id: wellFormed(input.actor.id), authenticated: input.actor.authenticated };
  const body = auditEventBody({ seq, at, actor, kind, subject, data: redact(input.data ?? {}) });
  return {
    seq,
    at,
    kind,
    subject,
    body,
    prevHash: head.hash,
    hash: auditEventHash(head.hash, body),
  };
}

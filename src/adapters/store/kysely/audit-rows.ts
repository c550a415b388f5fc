import type { Insertable } from 'kysely';
import type {
  AuditCheckpointRecord,
  AuditEventRecord,
  AuditKeyRecord,
} from '../../../core/store/records.js';
import type { AuditCheckpointTable, AuditEventTable, AuditKeyTable } from './tables.js';

/*
 * Audit rows are selected with their columns aliased to the record's field names, so a
 * row is the record itself: verifying a large log allocates one object per event.
 */

export const auditEventColumns = [
  'seq',
  'at',
  'kind',
  'subject',
  'body',
  'prev_hash as prevHash',
  'hash',
] as const;

export const auditCheckpointColumns = [
  'seq',
  'hash',
  'at',
  'key_id as keyId',
  'signature',
] as const;

export const auditKeyColumns = [
  'key_id as keyId',
  'public_key as publicKey',
  'created_at as createdAt',
] as const;

export function auditEventRow(record: AuditEventRecord): Insertable<AuditEventTable> {
  return {
    seq: record.seq,
    at: record.at,
    kind: record.kind,
    subject: record.subject,
    body: record.body,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

export function auditCheckpointRow(
  record: AuditCheckpointRecord,
): Insertable<AuditCheckpointTable> {
  return {
    seq: record.seq,
    hash: record.hash,
    at: record.at,
    key_id: record.keyId,
    signature: record.signature,
  };
}

export function auditKeyRow(record: AuditKeyRecord): Insertable<AuditKeyTable> {
  return { key_id: record.keyId, public_key: record.publicKey, created_at: record.createdAt };
}

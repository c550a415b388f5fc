import type { AuditEventRecord } from './records.js';

/**
 * A batch of audit events as verification reads them: one buffer of bytes where a batch of
 * records would hold an object and seven strings per event, which cost more to build than
 * verifying the event does. A worker thread can also take the buffer without a copy.
 *
 * For each event in seq order: its seq (ASCII decimal), prev_hash, body, hash, at, kind and
 * subject, each as UTF-8 and each followed by the byte 0xFF. UTF-8 never uses that byte, so
 * it cannot occur inside a value unless the database holds text that is not UTF-8; then
 * the pack holds more separators than 7 × `count`, and `auditPackLayout` says so.
 */
export interface AuditEventPack {
  /** How many events the store read. */
  readonly count: number;
  readonly bytes: Uint8Array;
}

export const AUDIT_PACK_SEPARATOR = 0xff;

/** The values of each event, in pack order. */
export const AUDIT_PACK_FIELD = {
  seq: 0,
  prevHash: 1,
  body: 2,
  hash: 3,
  at: 4,
  kind: 5,
  subject: 6,
} as const;
export const AUDIT_PACK_FIELDS = 7;

/** The pack of `records`, in their order. */
export function packAuditEvents(records: readonly AuditEventRecord[]): AuditEventPack {
  const values = records.flatMap((r) => [
    String(r.seq),
    r.prevHash,
    r.body,
    r.hash,
    r.at,
    r.kind,
    r.subject,
  ]);
  let size = values.length;
  for (const value of values) size += Buffer.byteLength(value, 'utf8');
  // Not from Buffer's shared pool: the whole ArrayBuffer is the pack's, so it can be transferred.
  const bytes = Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const value of values) {
    offset += bytes.write(value, offset, 'utf8');
    bytes[offset++] = AUDIT_PACK_SEPARATOR;
  }
  return { count: records.length, bytes };
}

/** Where each value of a pack ends, and each event's seq. */
export interface AuditPackLayout {
  readonly count: number;
  readonly bytes: Buffer;
  /** `ends[event * AUDIT_PACK_FIELDS + field]`: the offset of the separator after that value. */
  readonly ends: Uint32Array;
  readonly seqs: Float64Array;
}

/**
 * The layout of a pack; undefined when its separators do not divide it into `count` events
 * of seven values (a value holds the byte 0xFF) or a seq is not a plain decimal integer.
 */
export function auditPackLayout(pack: AuditEventPack): AuditPackLayout | undefined {
  const { count } = pack;
  const bytes = Buffer.isBuffer(pack.bytes)
    ? pack.bytes
    : Buffer.from(pack.bytes.buffer, pack.bytes.byteOffset, pack.bytes.byteLength);
  const ends = new Uint32Array(count * AUDIT_PACK_FIELDS);
  const seqs = new Float64Array(count);
  let start = 0;
  for (let index = 0; index < ends.length; index++) {
    const end = bytes.indexOf(AUDIT_PACK_SEPARATOR, start);
    if (end < 0) return undefined;
    ends[index] = end;
    if (index % AUDIT_PACK_FIELDS === AUDIT_PACK_FIELD.seq) {
      const seq = decimal(bytes, start, end);
      if (seq < 0) return undefined;
      seqs[index / AUDIT_PACK_FIELDS] = seq;
    }
    start = end + 1;
  }
  return start === bytes.length ? { count, bytes, ends, seqs } : undefined;
}

/** The events of a pack as records (for tests and listings, not for verifying large logs). */
export function unpackAuditEvents(pack: AuditEventPack): AuditEventRecord[] | undefined {
  const layout = auditPackLayout(pack);
  if (layout === undefined) return undefined;
  const { bytes, ends, seqs } = layout;
  const value = (event: number, field: number): string => {
    const index = event * AUDIT_PACK_FIELDS + field;
    return bytes.toString('utf8', index === 0 ? 0 : ends[index - 1]! + 1, ends[index]);
  };
  return Array.from(seqs, (seq, event) => ({
    seq,
    prevHash: value(event, AUDIT_PACK_FIELD.prevHash),
    body: value(event, AUDIT_PACK_FIELD.body),
    hash: value(event, AUDIT_PACK_FIELD.hash),
    at: value(event, AUDIT_PACK_FIELD.at),
    kind: value(event, AUDIT_PACK_FIELD.kind),
    subject: value(event, AUDIT_PACK_FIELD.subject),
  }));
}

/** The non-negative integer written in bytes[start, end) as plain decimal digits, or -1. */
function decimal(bytes: Buffer, start: number, end: number): number {
  if (end === start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

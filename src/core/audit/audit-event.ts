import { hash } from 'node:crypto';
import type { AuditEventRecord } from '../store/records.js';
import { canonicalJson } from './canonical-json.js';

export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type AuditData = { readonly [key: string]: JsonValue };

export interface AuditActor {
  readonly id: string;
  /** False when the name was only claimed (a local CLI user), true when a server checked it. */
  readonly authenticated: boolean;
}

/** What a caller records; the log adds seq, time and the chain. */
export interface AuditEventInput {
  readonly kind: string;
  readonly subject: string;
  readonly actor: AuditActor;
  readonly data?: AuditData;
}

/** The hashed body of one event, exactly as docs/audit.md defines it. */
export interface AuditEventBody {
  readonly v: 1;
  readonly seq: number;
  readonly at: string;
  readonly actor: AuditActor;
  readonly kind: string;
  readonly subject: string;
  readonly data: AuditData;
}

/** The prevHash of event 1. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export function auditEventBody(body: Omit<AuditEventBody, 'v'>): string {
  return canonicalJson({ ...body, v: 1 });
}

/** sha256 over the 64 ASCII hex characters of prevHash followed by the UTF-8 body, as hex. */
export function auditEventHash(prevHash: string, body: string): string {
  // The one-shot hash is about twice as fast as createHash().update().digest() for
  // bodies this small, and verification hashes every event.
  return hash('sha256', prevHash + body);
}

/**
 * An event as listings show it: read from the hashed body, so a projection column edited
 * in the database can never change what people see.
 */
export function readAuditEvent(record: AuditEventRecord): AuditEventBody & { hash: string } {
  const body = JSON.parse(record.body) as AuditEventBody;
  return { ...body, hash: record.hash };
}

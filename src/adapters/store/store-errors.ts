import { EclusaError } from '../../core/errors/eclusa-error.js';

/** A later-set field (a waiver's approval, a blocker's resolution) targeted a record that is not there. */
export function recordNotFound(
  what: 'waiver' | 'blocker' | 'deployment' | 'backup' | 'restore approval' | 'incident',
  id: string,
): EclusaError {
  return new EclusaError(
    'invalid-input',
    `${what.toUpperCase().replace(/ /g, '_')}_NOT_FOUND`,
    `no ${what} with id ${JSON.stringify(id)}`,
  );
}

/** Fields documented as "set once" are refused a second time rather than overwritten. */
export function alreadySet(
  what: 'waiver' | 'blocker' | 'backup' | 'restore approval',
  id: string,
): EclusaError {
  const [code, state] = (
    {
      waiver: ['WAIVER_ALREADY_APPROVED', 'already approved'],
      blocker: ['BLOCKER_ALREADY_RESOLVED', 'already resolved'],
      backup: ['BACKUP_ALREADY_PRUNED', 'already pruned'],
      'restore approval': ['RESTORE_APPROVAL_ALREADY_USED', 'already used'],
    } as const satisfies Record<typeof what, readonly [string, string]>
  )[what];
  return new EclusaError('refused', code, `${what} ${JSON.stringify(id)} is ${state}`);
}

/** An incident is acknowledged once and resolved once; a resolved incident takes no acknowledgement. */
export function incidentAlreadySet(id: string, status: 'acknowledged' | 'resolved'): EclusaError {
  return new EclusaError(
    'refused',
    `INCIDENT_ALREADY_${status.toUpperCase()}`,
    `incident ${JSON.stringify(id)} is already ${status}`,
  );
}

export function auditSeqConflict(seq: number, headSeq: number): EclusaError {
  return new EclusaError(
    'internal',
    'AUDIT_SEQ_CONFLICT',
    `audit event ${seq} does not follow the head of the log (${headSeq}); it must be ${headSeq + 1}`,
    { hint: 'read auditHead() inside the same write transaction as the append' },
  );
}

export function auditKeyConflict(keyId: string): EclusaError {
  return new EclusaError(
    'failed',
    'AUDIT_KEY_CONFLICT',
    `audit key ${JSON.stringify(keyId)} is already stored with a different public key`,
  );
}

export function schemaTooNew(location: string, version: number, known: number): EclusaError {
  return new EclusaError(
    'failed',
    'STORE_SCHEMA_TOO_NEW',
    `the store at ${location} has schema version ${version}; this eclusa knows up to ${known}`,
    { hint: 'upgrade eclusa to the version that last wrote this store' },
  );
}

export function storeBusy(location: string, cause: unknown): EclusaError {
  return new EclusaError(
    'failed',
    'STORE_BUSY',
    `the store at ${location} stayed locked by another writer`,
    {
      hint: 'another eclusa process holds the write lock; retry when it has finished',
      retryable: true,
      cause,
    },
  );
}

/** An optimistic update lost the race: someone else changed the record since it was read. */
export function revisionConflict(
  what: string,
  id: string,
  expected: number,
  stored: number,
): EclusaError {
  return new EclusaError(
    'failed',
    'STORE_CONFLICT',
    `${what} ${JSON.stringify(id)} is at revision ${stored}; the update expected ${expected}`,
    { hint: 'read the record again inside the same write transaction', retryable: true },
  );
}

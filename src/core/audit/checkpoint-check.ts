import { type KeyObject, createPublicKey } from 'node:crypto';
import type { AuditCheckpointRecord } from '../store/records.js';
import { checkpointSignatureValid } from './checkpoint.js';
import { auditKeyId } from './signer.js';

/** A public key as SPKI PEM, or a record holding one (its own keyId is recomputed, not believed). */
export type TrustedKey = string | { readonly publicKey: string };

/** A checkpoint to check, from the store or the anchor, its signature already being verified. */
export interface CheckpointToCheck {
  readonly checkpoint: AuditCheckpointRecord;
  /** How a reason names it. */
  readonly name: string;
  /** undefined when the key is not trusted. */
  readonly signatureValid: Promise<boolean> | undefined;
}

/**
 * Sorted by seq, with every signature by a trusted key handed to the thread pool at once:
 * by the time the walk reaches a checkpoint, its answer is waiting.
 */
export function checkpointsToCheck(
  entries: readonly { readonly checkpoint: AuditCheckpointRecord; readonly name: string }[],
  trusted: readonly TrustedKey[],
): CheckpointToCheck[] {
  const keys = new Map<string, KeyObject>();
  for (const entry of trusted) {
    const pem = typeof entry === 'string' ? entry : entry.publicKey;
    keys.set(auditKeyId(pem), createPublicKey(pem));
  }
  return [...entries]
    .sort((a, b) => a.checkpoint.seq - b.checkpoint.seq)
    .map(({ checkpoint, name }) => {
      const key = keys.get(checkpoint.keyId);
      const signatureValid = key && checkpointSignatureValid(checkpoint, key);
      return { checkpoint, name, signatureValid };
    });
}

/** What is wrong with a checkpoint, given the hash of the event at its seq if there is one. */
export async function checkpointProblem(
  { checkpoint, name, signatureValid }: CheckpointToCheck,
  eventHash: string | undefined,
): Promise<string | undefined> {
  if (signatureValid === undefined) {
    return `${name} at event ${checkpoint.seq} is signed by key ${checkpoint.keyId}, which is not trusted (re-signed?)`;
  }
  if (!(await signatureValid)) {
    return `${name} at event ${checkpoint.seq}: signature does not verify (edited?)`;
  }
  if (eventHash !== undefined && eventHash !== checkpoint.hash) {
    return `event ${checkpoint.seq}: hash differs from the one ${name} signed (log rewritten?)`;
  }
  return undefined;
}

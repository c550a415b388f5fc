import { type KeyObject, verify } from 'node:crypto';
import type { AuditCheckpointRecord } from '../store/records.js';
import { canonicalJson } from './canonical-json.js';
import type { Signer } from './signer.js';

/** The bytes a checkpoint's signature covers: canonical JSON of `{ v: 1, seq, hash, at, keyId }`. */
export function checkpointPayload(checkpoint: Omit<AuditCheckpointRecord, 'signature'>): Buffer {
  const { seq, hash, at, keyId } = checkpoint;
  return Buffer.from(canonicalJson({ v: 1, seq, hash, at, keyId }), 'utf8');
}

export function signCheckpoint(
  head: { readonly seq: number; readonly hash: string },
  at: string,
  signer: Signer,
): AuditCheckpointRecord {
  const unsigned = { seq: head.seq, hash: head.hash, at, keyId: signer.keyId };
  const signature = signer.sign(checkpointPayload(unsigned)).toString('base64');
  return { ...unsigned, signature };
}

/** Whether `publicKey` signed the checkpoint; checked on the thread pool, beside other work. */
export function checkpointSignatureValid(
  checkpoint: AuditCheckpointRecord,
  publicKey: KeyObject,
): Promise<boolean> {
  const signature = Buffer.from(checkpoint.signature, 'base64');
  // Ed25519 signatures are 64 bytes; anything else is not worth handing to the verifier.
  if (signature.length !== 64) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(null, checkpointPayload(checkpoint), publicKey, signature, (error, valid) =>
        resolve(error === null && valid),
      );
    } catch {
      // A damaged row (a seq that is not a number) has no canonical form to verify.
      resolve(false);
    }
  });
}

import { createHash, createPublicKey } from 'node:crypto';

/**
 * What the core needs from a signing key, and no more: the private key stays in the
 * adapter that loaded it.
 */
export interface Signer {
  /** `auditKeyId(publicKeyPem)`. */
  readonly keyId: string;
  /** SPKI PEM of the Ed25519 public key. */
  readonly publicKeyPem: string;
  /** An Ed25519 signature over `bytes`. */
  sign(bytes: Buffer): Buffer;
}

/** The first 16 hex characters of sha256 over the public key's SPKI DER encoding. */
export function auditKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

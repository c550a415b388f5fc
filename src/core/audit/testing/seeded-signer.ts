import { createPrivateKey, createPublicKey, createHash, sign } from 'node:crypto';
import { type Signer, auditKeyId } from '../signer.js';

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The same Ed25519 key for the same seed text, so tests and benchmarks are repeatable. */
export function seededSigner(seed: string): Signer {
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, createHash('sha256').update(seed).digest()]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const publicKeyPem = createPublicKey(privateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    keyId: auditKeyId(publicKeyPem),
    publicKeyPem,
    sign: (bytes) => sign(null, bytes, privateKey),
  };
}

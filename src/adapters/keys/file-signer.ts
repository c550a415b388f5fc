import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
} from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Signer, auditKeyId } from '../../core/audit/signer.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';

export const SIGNING_KEY_ENV = 'ECLUSA_SIGNING_KEY';

export interface LoadSignerOptions {
  /** The eclusa home; the key lives at `<home>/keys/audit-ed25519.pem` unless the env names one. */
  readonly home: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function signingKeyPath(home: string): string {
  return join(home, 'keys', 'audit-ed25519.pem');
}

/**
 * The instance's audit signing key: `ECLUSA_SIGNING_KEY` (PEM text, or `file:PATH`) when
 * set — servers keep keys in their secret store — else the key file under the home,
 * created on first use.
 */
export async function loadSigner(options: LoadSignerOptions): Promise<Signer> {
  const fromEnv = (options.env ?? process.env)[SIGNING_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const pem = fromEnv.startsWith('file:')
      ? await readKeyFile(fromEnv.slice('file:'.length))
      : fromEnv;
    return keySigner(parsePrivateKey(pem, SIGNING_KEY_ENV));
  }
  const path = signingKeyPath(options.home);
  const pem = (await readKeyFile(path, { missingOk: true })) ?? (await createKeyFile(path));
  return keySigner(parsePrivateKey(pem, path));
}

/** A Signer over an Ed25519 private key held in memory. */
export function keySigner(privateKey: KeyObject): Signer {
  const publicKeyPem = createPublicKey(privateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    keyId: auditKeyId(publicKeyPem),
    publicKeyPem,
    sign: (bytes) => sign(null, bytes, privateKey),
  };
}

/**
 * Writes a new key beside its final name and links it into place. A link, unlike a rename,
 * never replaces a file already there: when two processes start together, one key wins
 * and both use it.
 */
async function createKeyFile(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600, flag: 'wx' });
  // The umask may have narrowed the mode further, never widened it; make it exact.
  await chmod(temporary, 0o600);
  try {
    await link(temporary, path);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
  } finally {
    await unlink(temporary);
  }
  const written = await readKeyFile(path);
  return written;
}

async function readKeyFile(path: string): Promise<string>;
async function readKeyFile(path: string, options: { missingOk: true }): Promise<string | undefined>;
async function readKeyFile(
  path: string,
  options?: { missingOk: true },
): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (options?.missingOk && isCode(error, 'ENOENT')) return undefined;
    throw invalidInput('SIGNING_KEY_UNREADABLE', `cannot read the audit signing key ${path}`, {
      hint: `check the path and its permissions (${errorCode(error)})`,
      cause: error,
    });
  }
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    // The message names where the key came from, never its text.
    throw invalidInput('SIGNING_KEY_INVALID', `${source} does not hold a PEM private key`, {
      hint: 'generate one with: openssl genpkey -algorithm ed25519',
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw invalidInput(
      'SIGNING_KEY_INVALID',
      `${source} holds a ${key.asymmetricKeyType ?? 'unknown'} key; audit checkpoints are signed with Ed25519`,
      { hint: 'generate one with: openssl genpkey -algorithm ed25519' },
    );
  }
  return key;
}

function isCode(error: unknown, code: string): boolean {
  return errorCode(error) === code;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

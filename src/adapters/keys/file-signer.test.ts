import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditKeyId } from '../../core/audit/signer.js';
import { SIGNING_KEY_ENV, loadSigner, signingKeyPath } from './file-signer.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'eclusa-signer-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const ed25519Pem = (): string =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('loadSigner', () => {
  it('creates an Ed25519 key readable only by its owner on first use, and reuses it', async () => {
    const first = await loadSigner({ home, env: {} });
    const second = await loadSigner({ home, env: {} });
    expect(second.keyId).toBe(first.keyId);
    expect(first.keyId).toBe(auditKeyId(first.publicKeyPem));
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect((await stat(signingKeyPath(home))).mode & 0o777).toBe(0o600);

    const signature = first.sign(Buffer.from('checkpoint'));
    expect(verify(null, Buffer.from('checkpoint'), first.publicKeyPem, signature)).toBe(true);
  });

  it('ends with one key when several start at once, and leaves no temporary files', async () => {
    const signers = await Promise.all(
      Array.from({ length: 8 }, () => loadSigner({ home, env: {} })),
    );
    expect(new Set(signers.map((signer) => signer.keyId)).size).toBe(1);
    expect(await readdir(join(home, 'keys'))).toEqual(['audit-ed25519.pem']);
  });

  it('takes the key from the environment as PEM text or as file:PATH', async () => {
    const pem = ed25519Pem();
    const fromText = await loadSigner({ home, env: { [SIGNING_KEY_ENV]: pem } });
    const path = join(home, 'server-key.pem');
    await writeFile(path, pem);
    const fromFile = await loadSigner({ home, env: { [SIGNING_KEY_ENV]: `file:${path}` } });
    expect(fromFile.keyId).toBe(fromText.keyId);
    await expect(stat(signingKeyPath(home))).rejects.toThrow();
  });

  it('refuses a key that is not Ed25519, without echoing it', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(loadSigner({ home, env: { [SIGNING_KEY_ENV]: rsa } })).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: `${SIGNING_KEY_ENV} holds a rsa key; audit checkpoints are signed with Ed25519`,
    });
    const garbage = 'not a key at all';
    const error = await loadSigner({ home, env: { [SIGNING_KEY_ENV]: garbage } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'SIGNING_KEY_INVALID' });
    expect(String((error as Error).message)).not.toContain(garbage);
  });

  it('says which key file it cannot read', async () => {
    const env = { [SIGNING_KEY_ENV]: `file:${join(home, 'missing.pem')}` };
    await expect(loadSigner({ home, env })).rejects.toMatchObject({
      code: 'SIGNING_KEY_UNREADABLE',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { SecretResolver } from './secret-resolver.js';

const source = {
  env: (name: string) => ({ DB_URL: 'postgres://u:hunter22@db/x', TOKEN: 's3cr3t-token' })[name],
  file: (path: string) => (path === 'pw.txt' ? 'from-file\n' : undefined),
};

describe('SecretResolver', () => {
  it('resolves references and text, and redacts what it handed out', () => {
    const secrets = new SecretResolver(source);
    expect(secrets.reference('env:DB_URL', 'db.connection')).toBe('postgres://u:hunter22@db/x');
    expect(secrets.text('Bearer ${env:TOKEN} / ${file:pw.txt}', 'h')).toBe(
      'Bearer s3cr3t-token / from-file',
    );
    expect(secrets.redact('failed: postgres://u:hunter22@db/x with s3cr3t-token')).toBe(
      'failed: [redacted] with [redacted]',
    );
  });

  it('names the field and the fix when a secret is missing, never a value', () => {
    const secrets = new SecretResolver(source);
    expect(() => secrets.text('${env:NOPE}', 'verify.api.headers.Authorization')).toThrow(
      /verify\.api\.headers\.Authorization: the secret env:NOPE is not set/,
    );
    expect(() => secrets.reference('postgres://x', 'db.connection')).toThrow(
      /not a secret reference/,
    );
  });
});

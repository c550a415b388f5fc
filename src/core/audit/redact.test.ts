import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('replaces values that look like credentials wherever they are nested', () => {
    const data = {
      note: 'deployed with token ghp_abcdefghijklmnopqrstuvwxyz0123',
      targets: [{ url: 'postgres://app:hunter2@db.internal/app' }, { url: 'https://example.com' }],
    };
    expect(redact(data)).toEqual({
      note: REDACTED,
      targets: [{ url: REDACTED }, { url: 'https://example.com' }],
    });
  });

  it('replaces any value under a key whose name says secret, unless it is a reference', () => {
    expect(redact({ password: 'hunter2', apiToken: 'env:API_TOKEN', dbPassword: 'x1' })).toEqual({
      password: REDACTED,
      apiToken: 'env:API_TOKEN',
      dbPassword: REDACTED,
    });
  });

  it('keeps everything else, and does not change its input', () => {
    const data = { commit: 'a1b2c3d', image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64), n: 3 };
    const frozen = Object.freeze({ ...data, nested: Object.freeze({ ok: true, none: null }) });
    expect(redact(frozen)).toEqual({ ...data, nested: { ok: true, none: null } });
  });

  it('turns what canonical JSON cannot hold into what JSON.stringify would write', () => {
    expect(redact({ ratio: Number.NaN, text: 'a\uD800b' })).toEqual({
      ratio: null,
      text: 'a\uFFFDb',
    });
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_GENESIS_HASH,
  auditEventBody,
  auditEventHash,
  readAuditEvent,
} from './audit-event.js';

const fields = {
  seq: 1,
  at: '2026-11-23T09:30:00.000Z',
  actor: { id: 'ana', authenticated: false },
  kind: 'release.created',
  subject: 'release:1.4.0',
  data: { commit: 'a1b2c3d', artifacts: [{ ref: 'ghcr.io/acme/api:1.4.0' }] },
};

describe('audit event body', () => {
  it('is canonical JSON with keys sorted at every level and no white space', () => {
    expect(auditEventBody(fields)).toBe(
      '{"actor":{"authenticated":false,"id":"ana"},"at":"2026-11-23T09:30:00.000Z",' +
        '"data":{"artifacts":[{"ref":"ghcr.io/acme/api:1.4.0"}],"commit":"a1b2c3d"},' +
        '"kind":"release.created","seq":1,"subject":"release:1.4.0","v":1}',
    );
  });

  it('does not depend on the order the caller wrote the fields in', () => {
    const { data, ...rest } = fields;
    const reordered = { data: { commit: data.commit, artifacts: data.artifacts }, ...rest };
    expect(auditEventBody(reordered)).toBe(auditEventBody(fields));
  });

  it('hashes the hex previous hash followed by the body, as docs/audit.md says', () => {
    const body = auditEventBody(fields);
    const expected = createHash('sha256')
      .update(Buffer.from(AUDIT_GENESIS_HASH + body, 'utf8'))
      .digest('hex');
    expect(auditEventHash(AUDIT_GENESIS_HASH, body)).toBe(expected);
    expect(AUDIT_GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes non-ASCII text as UTF-8', () => {
    const body = auditEventBody({ ...fields, subject: 'release:ação-1' });
    const expected = createHash('sha256')
      .update(Buffer.from(AUDIT_GENESIS_HASH + body, 'utf8'))
      .digest('hex');
    expect(auditEventHash(AUDIT_GENESIS_HASH, body)).toBe(expected);
  });

  it('reads an event from its hashed body, not from the projection columns', () => {
    const body = auditEventBody(fields);
    const record = {
      seq: 1,
      at: fields.at,
      kind: 'edited.in.the.database',
      subject: 'release:9.9.9',
      body,
      prevHash: AUDIT_GENESIS_HASH,
      hash: auditEventHash(AUDIT_GENESIS_HASH, body),
    };
    expect(readAuditEvent(record)).toMatchObject({
      kind: 'release.created',
      subject: 'release:1.4.0',
    });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileBlobStore } from './file-blob-store.js';

describe('file blob store', () => {
  it('stores content once under its sha256 and refuses a file whose bytes changed', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eclusa-blobs-'));
    const blobs = fileBlobStore(home);
    const content = Buffer.from('<testsuite tests="1"/>');
    const sha = await blobs.put(content);
    expect(sha).toBe(createHash('sha256').update(content).digest('hex'));
    expect(await blobs.put(content)).toBe(sha);
    expect((await blobs.get(sha))?.toString()).toBe(content.toString());
    writeFileSync(join(home, 'evidence', 'sha256', sha.slice(0, 2), sha), 'tampered');
    expect(await blobs.get(sha)).toBeUndefined();
    expect(await blobs.get('../../etc/passwd')).toBeUndefined();
  });
});

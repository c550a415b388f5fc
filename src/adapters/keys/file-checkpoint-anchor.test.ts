import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditCheckpointRecord } from '../../core/store/records.js';
import { checkpointAnchorPath, fileCheckpointAnchor } from './file-checkpoint-anchor.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'eclusa-anchor-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const checkpoint = (seq: number): AuditCheckpointRecord => ({
  seq,
  hash: seq.toString(16).padStart(64, '0'),
  at: '2026-11-23T09:30:00.000Z',
  keyId: '0123456789abcdef',
  signature: 'c2lnbmF0dXJl',
});

describe('fileCheckpointAnchor', () => {
  it('reads nothing before the first write, then the checkpoint written', async () => {
    const anchor = fileCheckpointAnchor(home);
    expect(await anchor.read()).toBeUndefined();
    await anchor.write(checkpoint(10));
    expect(await anchor.read()).toEqual(checkpoint(10));
  });

  it('never moves back to an earlier checkpoint', async () => {
    const anchor = fileCheckpointAnchor(home);
    await anchor.write(checkpoint(20));
    await anchor.write(checkpoint(10));
    expect(await anchor.read()).toEqual(checkpoint(20));
  });

  it('keeps the furthest checkpoint when writers race, and leaves no temporary files', async () => {
    const seqs = [5, 40, 12, 33, 7, 39, 2, 18];
    await Promise.all(seqs.map((seq) => fileCheckpointAnchor(home).write(checkpoint(seq))));
    expect(await fileCheckpointAnchor(home).read()).toEqual(checkpoint(40));
    expect(await readdir(home)).toEqual(['audit-checkpoint.json']);
  });

  it('refuses a damaged anchor instead of reading it as absent', async () => {
    await writeFile(checkpointAnchorPath(home), '{"seq": "many"}');
    await expect(fileCheckpointAnchor(home).read()).rejects.toMatchObject({
      code: 'AUDIT_ANCHOR_DAMAGED',
    });
  });
});

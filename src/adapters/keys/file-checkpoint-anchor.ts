import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointAnchor } from '../../core/audit/checkpoint-anchor.js';
import { EclusaError } from '../../core/errors/eclusa-error.js';
import type { AuditCheckpointRecord } from '../../core/store/records.js';
import { withFileLock } from './file-lock.js';

export function checkpointAnchorPath(home: string): string {
  return join(home, 'audit-checkpoint.json');
}

/**
 * The latest audit checkpoint as `<home>/audit-checkpoint.json`. Writes replace the file
 * whole (temporary file, then rename) under a lock, and never move it back to an earlier
 * event: processes finishing in any order leave the furthest checkpoint.
 */
export function fileCheckpointAnchor(home: string): CheckpointAnchor {
  const path = checkpointAnchorPath(home);
  return {
    read: () => readAnchor(path),
    async write(checkpoint) {
      await mkdir(home, { recursive: true });
      await withFileLock(`${path}.lock`, async () => {
        const current = await readAnchor(path);
        if (current !== undefined && current.seq >= checkpoint.seq) return;
        const { seq, hash, at, keyId, signature } = checkpoint;
        const text = `${JSON.stringify({ seq, hash, at, keyId, signature }, null, 2)}\n`;
        const temporary = `${path}.${randomUUID()}.tmp`;
        await writeFile(temporary, text, { flag: 'wx' });
        await rename(temporary, path);
      });
    },
  };
}

async function readAnchor(path: string): Promise<AuditCheckpointRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const record = parseAnchor(text);
  if (record === undefined) {
    // Not a missing anchor: someone damaged it, and verification must not quietly go without.
    throw new EclusaError('failed', 'AUDIT_ANCHOR_DAMAGED', `${path} is not an audit checkpoint`, {
      hint: 'restore it from a backup; `eclusa audit verify` cannot rule out truncation without it',
    });
  }
  return record;
}

function parseAnchor(text: string): AuditCheckpointRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { seq, hash, at, keyId, signature } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return undefined;
  if (typeof hash !== 'string' || typeof at !== 'string') return undefined;
  if (typeof keyId !== 'string' || typeof signature !== 'string') return undefined;
  return { seq: seq as number, hash, at, keyId, signature };
}

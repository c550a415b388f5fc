import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../../core/services/governance-context.js';

/**
 * Evidence files, content-addressed under `<home>/evidence/sha256/ab/abcdef…`: the same
 * report uploaded twice is stored once, and a file's name is its integrity check.
 */
export function fileBlobStore(home: string): BlobStore {
  const pathOf = (sha256: string): string =>
    join(home, 'evidence', 'sha256', sha256.slice(0, 2), sha256);
  return {
    async put(content) {
      const sha256 = createHash('sha256').update(content).digest('hex');
      const target = pathOf(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      const temporary = `${target}.${randomUUID()}.tmp`;
      await writeFile(temporary, content, { flag: 'wx' });
      await rename(temporary, target);
      return sha256;
    },
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      try {
        const content = await readFile(pathOf(sha256));
        // Never hand out a file whose bytes no longer match its name.
        return createHash('sha256').update(content).digest('hex') === sha256 ? content : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

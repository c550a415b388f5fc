import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseFiles } from '../../../core/database/database-files.js';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';

/** DatabaseFiles over the local file system. */
export function localDatabaseFiles(): DatabaseFiles {
  return {
    async prepareDir(dir: string): Promise<void> {
      // A probe file proves the folder takes writes before a long dump starts.
      const probe = join(dir, `.eclusa-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(probe, 'eclusa');
        await unlink(probe);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        throw new EclusaError(
          'failed',
          code === 'ENOSPC' ? 'BACKUP_DISK_FULL' : 'BACKUP_DIR_NOT_WRITABLE',
          `the backup folder ${dir} cannot be written (${code}: ${(error as Error).message})`,
          {
            hint:
              code === 'ENOSPC'
                ? 'free space there, or lower backup.retention'
                : 'fix its permissions or point the component’s backup.dir elsewhere',
          },
        );
      }
    },

    async digest(path: string): Promise<{ size: number; sha256: string }> {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of createReadStream(path)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      return { size, sha256: hash.digest('hex') };
    },

    async exists(path: string): Promise<boolean> {
      try {
        return (await stat(path)).isFile();
      } catch {
        return false;
      }
    },

    rename: (from, to) => rename(from, to),

    remove: (path) => rm(path, { force: true }),

    async writeNew(path: string, content: string): Promise<void> {
      try {
        await writeFile(path, content, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw invalidInput('FILE_EXISTS', `${path} already exists`, {
            hint: 'choose another name; eclusa never overwrites a migration',
          });
        throw error;
      }
    },
  };
}

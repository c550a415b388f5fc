import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput } from '../errors/eclusa-error.js';
import type { MigrationSource } from './lint/lint-migrations.js';
import { isSqlFile } from './migration-file.js';

/**
 * The `*.sql` files directly in `dir` (the runner reads one folder; subfolders are not
 * migrations). `shown` is the folder as the user wrote it, used in every path reported.
 */
export async function readMigrationDir(dir: string, shown: string): Promise<MigrationSource[]> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
      throw invalidInput(
        'MIGRATIONS_DIR_NOT_FOUND',
        `migrations folder "${shown}" does not exist`,
        {
          hint: 'give the folder that holds the NNN_name.up.sql files',
        },
      );
    throw error;
  });
  if (!info.isDirectory())
    throw invalidInput('MIGRATIONS_DIR_NOT_FOUND', `"${shown}" is a file, not a folder`, {
      hint: 'give the folder that holds the NNN_name.up.sql files',
    });
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile() && isSqlFile(e.name)).map((e) => e.name);
  return Promise.all(
    names.map(async (name) => ({
      name,
      path: join(shown, name),
      // A byte-order mark is not SQL; editors on Windows add one.
      text: (await readFile(join(dir, name), 'utf8')).replace(/^\uFEFF/, ''),
    })),
  );
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput } from '../errors/eclusa-error.js';

/** One side (up or down) of a migration as read from disk. */
export interface MigrationFileSide {
  /** The file name, e.g. `003_add_email.up.sql`. */
  readonly file: string;
  readonly path: string;
  readonly sql: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly checksum: string;
  /** False when the file starts with `-- eclusa:no-transaction`. */
  readonly transactional: boolean;
}

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly up: MigrationFileSide;
  readonly down?: MigrationFileSide;
}

/** `NNN_name.up.sql` / `NNN_name.down.sql`; the number is the version, compared as a number. */
export const MIGRATION_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.(up|down)\.sql$/;
const NO_TRANSACTION = /^\uFEFF?\s*--\s*eclusa:no-transaction\b/;

/** Hex SHA-256 of text as UTF-8: the ledger's checksum of a migration file. */
export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function migrationSide(file: string, path: string, content: Buffer): MigrationFileSide {
  const sql = content.toString('utf8');
  return {
    file,
    path,
    sql,
    checksum: sha256Hex(content),
    transactional: !NO_TRANSACTION.test(sql),
  };
}

/**
 * Reads a migrations folder: every `.sql` file must follow the naming rule, each version
 * has one up file and at most one down file. Other files (a README) are ignored.
 */
export async function readMigrationDir(dir: string, shownDir = dir): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw invalidInput(
      'MIGRATIONS_DIR_MISSING',
      `the migrations folder ${shownDir} cannot be read`,
      {
        hint: 'create it, or fix migrations.dir (relative to the policy file)',
        cause: error,
      },
    );
  }
  const byVersion = new Map<
    number,
    { name: string; up?: MigrationFileSide; down?: MigrationFileSide }
  >();
  for (const file of names.sort()) {
    if (!file.toLowerCase().endsWith('.sql')) continue;
    const match = MIGRATION_FILE.exec(file);
    if (!match)
      throw invalidInput(
        'MIGRATION_FILE_NAME',
        `${join(shownDir, file)} does not follow the NNN_name.up.sql / NNN_name.down.sql naming`,
        { hint: 'rename it, e.g. 004_add_orders_email.up.sql' },
      );
    const version = Number(match[1]);
    const name = match[2] ?? '';
    const side = migrationSide(file, join(dir, file), await readFile(join(dir, file)));
    const entry = byVersion.get(version) ?? { name };
    if (entry.name !== name || (match[3] === 'up' ? entry.up : entry.down) !== undefined) {
      const other = entry.up?.file ?? entry.down?.file ?? '';
      throw invalidInput(
        'MIGRATION_DUPLICATE_VERSION',
        `${join(shownDir, file)} and ${other} share version ${version}`,
        {
          hint: 'give each migration its own number; the up and down file of one migration share the name too',
        },
      );
    }
    if (match[3] === 'up') entry.up = side;
    else entry.down = side;
    byVersion.set(version, entry);
  }
  const files: MigrationFile[] = [];
  for (const [version, entry] of [...byVersion].sort(([a], [b]) => a - b)) {
    if (entry.up === undefined)
      throw invalidInput(
        'MIGRATION_DOWN_WITHOUT_UP',
        `${join(shownDir, entry.down?.file ?? '')} has no matching .up.sql file`,
        { hint: 'add the up file or remove the orphan down file' },
      );
    files.push({
      version,
      name: entry.name,
      up: entry.up,
      ...(entry.down ? { down: entry.down } : {}),
    });
  }
  return files;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrationDir, sha256Hex } from './migration-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-migrations-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('readMigrationDir', () => {
  it('pairs up and down files by version, numerically, with checksums and the no-transaction mark', async () => {
    const dir = folder({
      '10_late.up.sql': 'select 10;',
      '002_b.up.sql': '\uFEFF  -- eclusa:no-transaction\ncreate index concurrently x on t (a);',
      '002_b.down.sql': 'drop index x;',
      '001_a.up.sql': 'select 1;',
      'README.md': 'not a migration',
    });
    const files = await readMigrationDir(dir, 'db/migrations');
    expect(
      files.map((f) => [f.version, f.name, f.up.file, f.down?.file, f.up.transactional]),
    ).toEqual([
      [1, 'a', '001_a.up.sql', undefined, true],
      [2, 'b', '002_b.up.sql', '002_b.down.sql', false],
      [10, 'late', '10_late.up.sql', undefined, true],
    ]);
    expect(files[0]?.up.checksum).toBe(sha256Hex('select 1;'));
  });

  it('names the file and the fix for every bad folder', async () => {
    await expect(
      readMigrationDir(join(tmpdir(), 'eclusa-nope-404'), 'db/nope'),
    ).rejects.toMatchObject({
      code: 'MIGRATIONS_DIR_MISSING',
      message: 'the migrations folder db/nope cannot be read',
    });
    await expect(readMigrationDir(folder({ 'init.sql': 'x' }), 'm')).rejects.toMatchObject({
      code: 'MIGRATION_FILE_NAME',
      message: expect.stringContaining('m/init.sql') as string,
    });
    await expect(
      readMigrationDir(folder({ '001_a.up.sql': 'x', '001_b.up.sql': 'y' }), 'm'),
    ).rejects.toMatchObject({ code: 'MIGRATION_DUPLICATE_VERSION' });
    await expect(readMigrationDir(folder({ '003_a.down.sql': 'x' }), 'm')).rejects.toMatchObject({
      code: 'MIGRATION_DOWN_WITHOUT_UP',
      message: 'm/003_a.down.sql has no matching .up.sql file',
    });
  });
});

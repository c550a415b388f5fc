import { cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibpgQueryParser } from '../../src/adapters/sql/libpg-query/libpg-query-parser.js';
import { lintMigrations } from '../../src/core/migrations/lint/lint-migrations.js';
import { readMigrationDir } from '../../src/core/migrations/read-migration-dir.js';

/* Every folder of SQL files under examples/ lints clean for the release the examples ship. */

const examples = new URL('../../examples/', import.meta.url).pathname;
const parser = await createLibpgQueryParser();

function sqlFolders(dir: string): string[] {
  const entries = readdirSync(dir);
  const here = entries.some((name) => name.endsWith('.sql')) ? [dir] : [];
  const below = entries
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory() && !path.includes('node_modules'))
    .flatMap(sqlFolders);
  return [...here, ...below];
}

// The linter reads PostgreSQL; escola-connect's local migrations are MariaDB's dialect.
const MYSQL_FOLDERS = new Set(['escola-connect/local/migrations']);
const folders = sqlFolders(examples)
  .map((dir) => relative(examples, dir))
  .filter((folder) => !MYSQL_FOLDERS.has(folder));

describe('SQL under examples/', () => {
  it('includes the migrations of the seeds that use the built-in runner', () => {
    expect(folders).toEqual(
      expect.arrayContaining(['conect360/backend/migrations', 'koraos/db/migrations']),
    );
  });

  it.each(folders)('%s lints without findings for release 1.0.0', async (folder) => {
    const report = lintMigrations(await readMigrationDir(join(examples, folder), folder), parser, {
      release: '1.0.0',
    });
    expect(report.findings).toEqual([]);
    expect(report.files).toBeGreaterThan(0);
  });

  it('koraos: the contract step that drops runtime_events.kind passes from release 1.0.1 on', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'eclusa-koraos-'));
    cpSync(join(examples, 'koraos/db/migrations'), copy, { recursive: true });
    writeFileSync(
      join(copy, '004_drop_kind.up.sql'),
      "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE runtime_events DROP COLUMN IF EXISTS kind;\n",
    );
    const lint = async (release: string) =>
      lintMigrations(await readMigrationDir(copy, 'db/migrations'), parser, { release });
    expect((await lint('1.0.0')).findings).toEqual([
      expect.objectContaining({
        file: 'db/migrations/004_drop_kind.up.sql',
        line: 3,
        rule: 'drop-column',
      }),
    ]);
    expect((await lint('1.0.1')).findings).toEqual([]);
  });
});

/**
 * How a migration file's name says what it is. `NNN_name.up.sql` applies a change and
 * `NNN_name.down.sql` reverts it; any other `*.sql` is a plain forward file.
 */
export type MigrationRole = 'up' | 'down' | 'plain';

export interface MigrationFileName {
  readonly name: string;
  readonly role: MigrationRole;
  /** The name without `.up.sql` / `.down.sql` / `.sql`: an up and its down share it. */
  readonly stem: string;
}

const SUFFIX = /^(.*?)(?:\.(up|down))?\.sql$/i;

export function isSqlFile(name: string): boolean {
  return /\.sql$/i.test(name);
}

export function migrationFileName(name: string): MigrationFileName {
  const match = SUFFIX.exec(name);
  const stem = match?.[1] ?? name;
  const direction = match?.[2]?.toLowerCase();
  const role: MigrationRole = direction === 'up' ? 'up' : direction === 'down' ? 'down' : 'plain';
  return { name, role, stem };
}

const collator = new Intl.Collator('en', { numeric: true });

/**
 * The order migrations run in: by stem with numbers compared as numbers (`2_x` before
 * `10_x`), an up before its own down.
 */
export function compareMigrationFiles(a: MigrationFileName, b: MigrationFileName): number {
  const byStem = collator.compare(a.stem, b.stem);
  if (byStem !== 0) return byStem;
  const rank = (file: MigrationFileName) => (file.role === 'down' ? 1 : 0);
  return rank(a) - rank(b) || collator.compare(a.name, b.name);
}

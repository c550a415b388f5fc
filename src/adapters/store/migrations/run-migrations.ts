import type { Kysely } from 'kysely';
import type { StoreConnections } from '../kysely/store-connections.js';
import type { Database } from '../kysely/tables.js';
import { schemaTooNew } from '../store-errors.js';
import type { Migration } from './migration.js';
import { storeMigrations } from './store-migrations.js';

/**
 * Brings the schema up to date. The check and the changes run inside the exclusive write
 * transaction, so two processes opening a fresh store at once apply each migration once,
 * and a writer never sees half a schema. DDL is transactional in both SQLite and PostgreSQL.
 */
export async function runMigrations(
  connections: StoreConnections,
  migrations: readonly Migration[] = storeMigrations,
): Promise<void> {
  const known = migrations.at(-1)?.version ?? 0;
  // Most opens find nothing to do; checking first keeps them from queuing for the write lock.
  const current = await connections
    .snapshot(({ db }) => appliedVersions(db))
    .catch(() => undefined);
  const isCurrent = (applied: Set<number>): boolean =>
    migrations.every((migration) => applied.has(migration.version)) &&
    Math.max(0, ...applied) <= known;
  if (current !== undefined && isCurrent(current)) return;
  await connections.exclusive(async ({ db }) => {
    await db.schema
      .createTable('eclusa_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const applied = await appliedVersions(db);
    const newest = Math.max(0, ...applied);
    if (newest > known) throw schemaTooNew(connections.location, newest, known);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      // Migrations are written against no table types (see Migration).
      await migration.up(db as unknown as Kysely<unknown>, connections.kind);
      await db
        .insertInto('eclusa_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          applied_at: new Date().toISOString(),
        })
        .execute();
    }
  });
}

async function appliedVersions(db: Kysely<Database>): Promise<Set<number>> {
  const rows = await db.selectFrom('eclusa_migrations').select('version').execute();
  return new Set(rows.map((row) => Number(row.version)));
}

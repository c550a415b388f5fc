import type { Store } from '../../core/store/store.js';

export interface OpenStoreOptions {
  /** ECLUSA_HOME: where the embedded SQLite store lives; default `./.eclusa`. */
  readonly home?: string;
  /** ECLUSA_DATABASE_URL: when set, the store is this PostgreSQL database instead. */
  readonly databaseUrl?: string;
}

export const DEFAULT_HOME = '.eclusa';

/** PostgreSQL when a database URL is given, else SQLite under home. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  // Imported on demand: a command loads one database driver, not both.
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) {
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    return openPostgresStore({ url: databaseUrl });
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore({ home: options.home ?? DEFAULT_HOME });
}

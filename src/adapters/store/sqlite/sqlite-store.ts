import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Store } from '../../../core/store/store.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import { runTransaction } from '../kysely/run-transaction.js';
import type { StoreConnections, StoreSession } from '../kysely/store-connections.js';
import type { Database } from '../kysely/tables.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { storeBusy } from '../store-errors.js';
import { sqliteAuditReads } from './sqlite-audit-reads.js';

export interface SqliteStoreOptions {
  /** ECLUSA_HOME: the directory that holds `eclusa.db`; created if missing. */
  readonly home: string;
}

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/** The embedded store: one SQLite file in WAL mode, safe to share between processes. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true });
  const file = join(home, 'eclusa.db');
  const connections = sqliteConnections(file);
  try {
    await runMigrations(connections);
  } catch (error) {
    await connections.close();
    throw error;
  }
  return new KyselyStore(connections);
}

function sqliteConnections(file: string): StoreConnections {
  // Two connections: reads see committed data from their own snapshot and never wait
  // behind this process's writes (WAL lets both proceed).
  const writer = connection(openDatabase(file, { queryOnly: false }));
  const reader = connection(openDatabase(file, { queryOnly: true }));
  const rethrowBusy = (error: unknown): never => {
    throw isBusy(error) ? storeBusy(file, error) : error;
  };
  return {
    kind: 'sqlite',
    location: file,
    // A deferred transaction that later writes can fail with SQLITE_BUSY at once, without
    // waiting; IMMEDIATE takes the write lock up front, waiting up to busy_timeout.
    exclusive: (fn) =>
      runTransaction(writer.db, ['begin immediate'], (db) => fn({ ...writer, db })).catch(
        rethrowBusy,
      ),
    snapshot: (fn) => runTransaction(reader.db, ['begin'], (db) => fn({ ...reader, db })),
    close: async () => {
      await reader.db.destroy();
      await writer.db.destroy();
    },
  };
}

function openDatabase(file: string, options: { queryOnly: boolean }): BetterSqlite3.Database {
  const database = new BetterSqlite3(file);
  // busy_timeout first: switching to WAL needs a lock another process may hold.
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma('journal_mode = WAL');
  // In WAL mode NORMAL loses no committed data on a process crash, only on power loss.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  if (options.queryOnly) database.pragma('query_only = ON');
  return database;
}

/** A Kysely instance over one better-sqlite3 connection, and the audit reads beside it. */
function connection(database: BetterSqlite3.Database): Required<StoreSession> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, ...sqliteAuditReads(database) };
}

function isBusy(error: unknown): boolean {
  // SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …).
  return error instanceof BetterSqlite3.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg, { type CustomTypesConfig } from 'pg';
import type { Store } from '../../../core/store/store.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import { runTransaction } from '../kysely/run-transaction.js';
import type { StoreConnections } from '../kysely/store-connections.js';
import type { Database } from '../kysely/tables.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { storeBusy } from '../store-errors.js';
import { postgresLocation } from './postgres-location.js';

export interface PostgresStoreOptions {
  /** ECLUSA_DATABASE_URL, e.g. `postgres://eclusa@db.internal:5432/eclusa`. */
  readonly url: string;
}

/**
 * The key of the transaction-scoped advisory lock every eclusa writer takes first
 * ("eclusa" in ASCII). Advisory locks are per database, so other databases on the same
 * server are not affected.
 */
const WRITE_LOCK_KEY = '111477695804257';

/** How long a writer waits for another replica's write transaction before giving up. */
const LOCK_TIMEOUT = '10s';

/** The shared store: several eclusa processes or replicas on one PostgreSQL database. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser: typeParser },
  });
  // An idle client's error (the server restarting) is also raised by the query that next
  // uses the pool; without a listener it would crash the process instead.
  pool.on('error', () => undefined);
  const location = postgresLocation(options.url);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const connections: StoreConnections = {
    kind: 'postgres',
    location,
    exclusive: (fn) =>
      runTransaction(
        db,
        [
          'begin',
          `set local lock_timeout = '${LOCK_TIMEOUT}'`,
          `select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`,
        ],
        async (connection) => {
          const result = await fn({ db: connection });
          // After a failed statement whose error fn caught, PostgreSQL answers COMMIT with
          // a silent rollback; this statement fails instead, so write() cannot resolve
          // having kept nothing.
          await sql`select 1`.execute(connection);
          return result;
        },
      ).catch((error: unknown) => {
        throw isLockTimeout(error) ? storeBusy(location, error) : error;
      }),
    snapshot: (fn) =>
      runTransaction(db, ['begin isolation level repeatable read read only'], (connection) =>
        fn({ db: connection }),
      ),
    close: () => db.destroy(),
  };
  try {
    await runMigrations(connections);
  } catch (error) {
    await connections.close();
    throw error;
  }
  return new KyselyStore(connections);
}

const INT8_OID = 20;

/** int8 (seq, count(*)) as a number: every value the store keeps is far below 2^53. */
const typeParser: CustomTypesConfig['getTypeParser'] = (oid, format): unknown =>
  (oid as number) === INT8_OID ? Number : pg.types.getTypeParser(oid, format);

function isLockTimeout(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === '55P03';
}

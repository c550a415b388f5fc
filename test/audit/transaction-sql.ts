import type { Kysely } from 'kysely';
import type { StoreWriter } from '../../src/core/store/store.js';

/**
 * The Kysely handle of a store writer's own transaction, so a test can tamper with rows
 * by raw SQL and verify through the same transaction before rolling it back. The store
 * port deliberately offers no raw SQL; this reaches the adapter's internal handle and
 * checks that it is there, so a change to the adapter fails loudly here.
 */
export function transactionSql(writer: StoreWriter): Kysely<unknown> {
  const db = (writer as unknown as { readonly db?: Kysely<unknown> }).db;
  if (db === undefined || typeof db.executeQuery !== 'function') {
    throw new Error('the store writer no longer exposes its Kysely transaction as `db`');
  }
  return db;
}

import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/**
 * Runs fn on one connection between the dialect's own `begin` statements and a commit,
 * rolling back when anything throws. Kysely's `transaction()` cannot say `BEGIN IMMEDIATE`
 * or take a lock first, which is why the statements are the caller's.
 */
export async function runTransaction<T>(
  db: Kysely<Database>,
  begin: readonly string[],
  fn: (connection: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    let open = false;
    try {
      for (const statement of begin) {
        await sql.raw(statement).execute(connection);
        open = true;
      }
      const result = await fn(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      // The original error is the one worth reporting; a failed rollback (the transaction
      // already gone, or the connection lost) would only hide it.
      if (open) await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

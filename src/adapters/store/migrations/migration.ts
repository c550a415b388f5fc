import type { Kysely } from 'kysely';

/**
 * One schema change. Migrations are frozen once released: a later change is a new
 * migration, so they use the schema builder on an untyped database rather than the
 * current table types.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void>;
}

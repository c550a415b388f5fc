import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** The deployment engine's durable state: one run per deployment, one state per environment. */
export const engineMigration: Migration = {
  version: 2,
  name: 'engine',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('deployment_runs')
      .addColumn('deployment_id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('wake_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('deployment_runs_environment')
      .on('deployment_runs')
      .column('environment')
      .execute();
    await db.schema.createIndex('deployments_status').on('deployments').column('status').execute();
    await db.schema
      .createTable('environment_states')
      .addColumn('environment', 'text', (c) => c.primaryKey())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};

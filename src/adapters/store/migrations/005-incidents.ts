import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Incidents opened by rollbacks. Like the database records of 004: the columns listings
 * filter on, the record as JSON in `body`, and the fields set later (acknowledged,
 * resolved) in columns of their own.
 */
export const incidentsMigration: Migration = {
  version: 5,
  name: 'incidents',
  async up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
    let table = db.schema.createTable('incidents');
    table =
      dialect === 'postgres'
        ? table.addColumn('ord', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : table.addColumn('ord', 'integer', (c) => c.primaryKey());
    await table
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolution', 'text')
      .execute();
    await db.schema
      .createIndex('incidents_environment')
      .on('incidents')
      .column('environment')
      .execute();
    await db.schema
      .createIndex('incidents_deployment_id')
      .on('incidents')
      .column('deployment_id')
      .execute();
  },
};

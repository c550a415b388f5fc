import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** The tables of database safety: backups, drills, restores and their approvals, migration runs, drift checks. */
export const databaseMigration: Migration = {
  version: 4,
  name: 'database',
  async up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
    const create = async (
      name: string,
      extra: (table: CreateTableBuilder<string, never>) => CreateTableBuilder<string, never> = (
        table,
      ) => table,
    ): Promise<void> => {
      let table = db.schema.createTable(name);
      table =
        dialect === 'postgres'
          ? table.addColumn('ord', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          : table.addColumn('ord', 'integer', (c) => c.primaryKey());
      table = table
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('database', 'text', (c) => c.notNull())
        .addColumn('deployment_id', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull());
      await extra(table).execute();
      await db.schema
        .createIndex(`${name}_environment_database`)
        .on(name)
        .columns(['environment', 'database'])
        .execute();
    };

    await create('database_backups', (t) =>
      t.addColumn('status', 'text', (c) => c.notNull()).addColumn('pruned_at', 'text'),
    );
    await db.schema
      .createIndex('database_backups_deployment_id')
      .on('database_backups')
      .column('deployment_id')
      .execute();
    await create('database_drills');
    await create('database_restore_approvals', (t) =>
      t.addColumn('used_at', 'text').addColumn('used_by', 'text'),
    );
    await create('database_restores');
    await create('database_migration_runs');
    await db.schema
      .createIndex('database_migration_runs_deployment_id')
      .on('database_migration_runs')
      .column('deployment_id')
      .execute();
    await create('database_drift_checks');
  },
};

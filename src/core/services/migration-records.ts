import {
  policyRelative,
  requireDatabaseComponent,
  type DatabaseComponent,
  type DatabaseContext,
} from '../database/database-context.js';
import { readMigrationDir, type MigrationFile } from '../database/migration-files.js';
import type { MigrationScript } from '../database/migration-session.js';
import { parseSql } from '../database/sql-statements.js';
import { invalidInput } from '../errors/eclusa-error.js';
import type { MigrationRunRecord } from '../store/database-records.js';
import { requireEnvironment } from './governance-context.js';

export type MigrationsConfig = NonNullable<DatabaseComponent['migrations']>;

/** The environment, component and migrations settings a migration command acts on. */
export function migrationTarget(
  context: DatabaseContext,
  environmentName: string,
  database: string,
): { environment: string; component: DatabaseComponent; migrations: MigrationsConfig } {
  const environment = requireEnvironment(context.policy, environmentName).name;
  const component = requireDatabaseComponent(context.policy, database);
  const migrations = component.migrations;
  if (migrations === undefined)
    throw invalidInput('NO_MIGRATIONS', `component ${database} has no migrations settings`, {
      hint: `add components.${database}.migrations { tool: sql, dir: migrations } (or tool: command)`,
    });
  return { environment, component, migrations };
}

/** The `sql` runner's files, read from `migrations.dir` relative to the policy file. */
export async function sqlMigrationFiles(
  context: DatabaseContext,
  database: string,
  migrations: MigrationsConfig,
): Promise<MigrationFile[]> {
  if (migrations.tool !== 'sql' || migrations.dir === undefined)
    throw invalidInput(
      'MIGRATIONS_DIR_UNSET',
      migrations.tool === 'sql'
        ? `components.${database}.migrations has tool: sql but no dir`
        : `components.${database}.migrations uses tool: ${migrations.tool}; this needs the built-in sql runner`,
      { hint: `set components.${database}.migrations.dir to the folder of NNN_name.up.sql files` },
    );
  return readMigrationDir(policyRelative(context.policy, migrations.dir), migrations.dir);
}

/**
 * A file side ready to run, checked by the PostgreSQL parser first. A transactional file
 * may not open or close transactions itself: eclusa wraps it in one.
 */
export async function migrationScript(
  file: MigrationFile,
  side: 'up' | 'down',
): Promise<MigrationScript> {
  const source = side === 'up' ? file.up : file.down;
  if (source === undefined)
    throw invalidInput('MIGRATION_NO_DOWN', `migration ${file.up.file} has no .down.sql file`, {
      hint: `write ${file.up.file.replace(/\.up\.sql$/, '.down.sql')}`,
    });
  const parsed = await parseSql(source.sql, source.file);
  if (source.transactional && parsed.kinds.includes('TransactionStmt'))
    throw invalidInput(
      'MIGRATION_TRANSACTION_CONTROL',
      `${source.file} opens or ends a transaction (BEGIN/COMMIT/ROLLBACK) although eclusa runs it inside one`,
      {
        hint: 'remove the BEGIN/COMMIT lines, or start the file with -- eclusa:no-transaction to manage transactions yourself',
      },
    );
  return {
    version: file.version,
    name: file.name,
    file: source.file,
    sql: source.sql,
    checksum: file.up.checksum,
    transactional: source.transactional,
    statements: parsed.statements,
  };
}

/** Stores a migration run with its audit event, in one transaction. */
export async function recordMigrationRun(
  context: DatabaseContext,
  record: MigrationRunRecord,
): Promise<void> {
  await context.store.write(async (writer) => {
    await writer.insertMigrationRun(record);
    await context.audit.append(writer, {
      kind: `database.migrations.${record.direction === 'down' ? 'down.' : ''}${record.status}`,
      subject: `database/${record.environment}/${record.database}`,
      actor: context.actor,
      data: {
        id: record.id,
        tool: record.tool,
        versions: record.migrations.map((m) => m.version),
        deploymentId: record.deploymentId ?? null,
        failure: record.failure?.message ?? null,
        ...(record.failure?.file === undefined ? {} : { file: record.failure.file }),
      },
    });
  });
}

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type {
  Database,
  DumpResult,
  DumpValidation,
  RestoreOptions,
} from '../../../core/database/database.js';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import type { TableStat } from '../../../core/store/database-records.js';
import { runTool, toolPath, type ToolRun } from '../tool-process.js';
import { parseMysqlConnection } from './mysql-connection.js';
import { mysqlToolError } from './mysql-errors.js';
import { MYSQL_COLUMNS, mysqlStatsScript, parseMysqlStats, quoteName } from './mysql-stats.js';

export interface MysqlDatabaseOptions {
  /** Directory of mysql and mysqldump (ECLUSA_MYSQL_BIN); default: found on PATH. */
  readonly binDir?: string;
}

const INSTALL =
  'install the MySQL or MariaDB client tools (apt-get install mariadb-client) or set ECLUSA_MYSQL_BIN to their directory';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,63}$/;

/**
 * The Database port over MySQL and MariaDB with their own client tools: mysqldump for dumps
 * and schema, mysql for queries and restores. There is no client library in eclusa for
 * MySQL, so every query is one run of `mysql --batch`.
 */
export function mysqlDatabase(connection: string, options: MysqlDatabaseOptions = {}): Database {
  const conn = parseMysqlConnection(connection);
  const where = conn.where;
  const mysql = toolPath('mysql', options.binDir);
  const mysqldump = toolPath('mysqldump', options.binDir);

  const tool = (run: Omit<ToolRun, 'install'>) => runTool({ ...run, install: INSTALL });

  /** Runs SQL in `database` and returns its tab-separated rows without a header. */
  const query = (sql: string, database: string = conn.database, doing = 'querying') =>
    conn.withArgs(async (args) => {
      const result = await tool({
        command: mysql,
        args: [...args, '--batch', '--skip-column-names', '--connect-timeout=10', database],
        stdinText: sql,
        captureStdout: true,
      });
      if (result.code !== 0) throw mysqlToolError(result, 'MYSQL_FAILED', doing, where);
      return result.stdout;
    });

  const checkName = (name: string): string => {
    if (!DATABASE_NAME.test(name))
      throw invalidInput('DATABASE_NAME_INVALID', `"${name}" is not a usable database name`, {
        hint: 'use lowercase letters, digits and _, at most 64 characters',
      });
    return name;
  };

  const tableStats = async (database: string = conn.database): Promise<TableStat[]> => {
    const columns = await query(MYSQL_COLUMNS, database, 'listing the tables of');
    return parseMysqlStats(
      await query(mysqlStatsScript(columns), database, 'reading table statistics of'),
    );
  };

  const serverVersion = async (): Promise<string> =>
    (await query('SELECT VERSION();', conn.database, 'reading the version of')).trim();

  const toolVersion = async (): Promise<string> => {
    const result = await tool({ command: mysqldump, args: ['--version'], captureStdout: true });
    if (result.code !== 0)
      throw mysqlToolError(result, 'MYSQLDUMP_FAILED', 'running mysqldump for', where);
    return result.stdout.trim();
  };

  return {
    engine: 'mysql',
    name: conn.database,
    serverVersion,

    async backup(file: string, backupOptions: { signal?: AbortSignal } = {}): Promise<DumpResult> {
      const version = await serverVersion();
      const dumpTool = await toolVersion();
      // mysqldump's snapshot cannot be shared with another session, so the statistics are
      // read just before and just after it: equal readings mean the dump saw that data too.
      const before = await tableStats();
      const result = await conn.withArgs((args) =>
        tool({
          command: mysqldump,
          args: [
            ...args,
            '--single-transaction',
            '--routines',
            '--triggers',
            '--hex-blob',
            '--no-tablespaces',
            `--result-file=${file}`,
            conn.database,
          ],
          ...(backupOptions.signal ? { signal: backupOptions.signal } : {}),
        }),
      );
      if (result.code !== 0)
        throw mysqlToolError(result, 'MYSQLDUMP_FAILED', 'mysqldump of', where);
      const after = await tableStats();
      const stable = JSON.stringify(before) === JSON.stringify(after);
      return {
        serverVersion: version,
        toolVersion: dumpTool,
        ...(stable
          ? { tables: after }
          : {
              baselineNote:
                'the data changed while mysqldump ran, so no row counts or checksums were kept for this backup',
            }),
      };
    },

    async validate(file: string): Promise<DumpValidation> {
      let seen = 0;
      let header = false;
      let completed = false;
      let entries = 0;
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          // Newer dumps open with a sandbox-mode line before the "-- MariaDB dump" header.
          if (++seen <= 5 && /^-- (?:MySQL|MariaDB) dump/.test(line)) header = true;
          if (line.startsWith('CREATE TABLE ')) entries++;
          else if (line.startsWith('-- Dump completed')) completed = true;
        }
      } catch (error) {
        throw new EclusaError(
          'failed',
          'DUMP_INVALID',
          `${file} cannot be read: ${(error as Error).message}`,
        );
      }
      if (!header || !completed)
        throw new EclusaError(
          'failed',
          'DUMP_INVALID',
          `${file} is not a complete mysqldump file (${seen === 0 ? 'it is empty' : !header ? 'its "-- MySQL dump" header is missing' : 'its "-- Dump completed" trailer is missing'})`,
          { hint: 'the file is truncated or damaged; take a new backup' },
        );
      return { entries };
    },

    async restore(file: string, into: string, restoreOptions: RestoreOptions = {}): Promise<void> {
      const result = await conn.withArgs((args) =>
        tool({
          command: mysql,
          args: [...args, '--connect-timeout=10', checkName(into)],
          stdinFile: file,
          ...(restoreOptions.signal ? { signal: restoreOptions.signal } : {}),
        }),
      );
      if (result.code !== 0)
        throw mysqlToolError(result, 'MYSQL_RESTORE_FAILED', `restoring into ${into} on`, where);
    },

    async createDatabase(name: string): Promise<void> {
      const [charset = 'utf8mb4', collation = 'utf8mb4_general_ci'] = (
        await query(
          'SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE();',
        )
      )
        .trim()
        .split('\t');
      await query(
        `CREATE DATABASE ${quoteName(checkName(name))} CHARACTER SET ${charset} COLLATE ${collation};`,
        conn.database,
        `creating database ${name} on`,
      );
    },

    async dropDatabase(name: string): Promise<void> {
      await query(
        `DROP DATABASE IF EXISTS ${quoteName(checkName(name))};`,
        conn.database,
        `dropping ${name} on`,
      );
    },

    tableStats,

    async schemaDump(database: string = conn.database): Promise<string> {
      const result = await conn.withArgs((args) =>
        tool({
          command: mysqldump,
          args: [
            ...args,
            '--no-data',
            '--skip-comments',
            '--skip-dump-date',
            '--routines',
            '--triggers',
            '--no-tablespaces',
            database,
          ],
          captureStdout: true,
        }),
      );
      if (result.code !== 0)
        throw mysqlToolError(result, 'MYSQLDUMP_FAILED', 'mysqldump --no-data of', where);
      return result.stdout;
    },

    openMigrations(): Promise<never> {
      return Promise.reject(
        invalidInput(
          'MIGRATIONS_UNSUPPORTED',
          'the built-in sql migration runner works with PostgreSQL only',
          {
            hint: "for MySQL/MariaDB set migrations.tool: command and the team's own tool (doctrine, flyway, knex …)",
          },
        ),
      );
    },

    close: () => Promise.resolve(),
  };
}

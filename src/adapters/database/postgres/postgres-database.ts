import pg from 'pg';
import type {
  Database,
  DumpResult,
  DumpValidation,
  RestoreOptions,
} from '../../../core/database/database.js';
import type { MigrationSession } from '../../../core/database/migration-session.js';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import type { TableStat } from '../../../core/store/database-records.js';
import { streamDump, type StreamedDump } from '../dump-stream.js';
import { runTool, toolPath, type ToolResult } from '../tool-process.js';
import { parsePostgresConnection } from './postgres-connection.js';
import { clientError, toolError } from './postgres-errors.js';
import { openPostgresMigrations } from './postgres-migrations.js';
import { postgresTableStats } from './postgres-stats.js';
import { checkDumpVersion } from './postgres-versions.js';

export interface PostgresDatabaseOptions {
  /** Directory of pg_dump and pg_restore (ECLUSA_PG_BIN); default: found on PATH. */
  readonly binDir?: string;
}

const INSTALL =
  'install the PostgreSQL client tools (apt-get install postgresql-client) or set ECLUSA_PG_BIN to their bin directory';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The Database port over PostgreSQL: pg_dump -Fc, pg_restore, and the `pg` client for queries. */
export function postgresDatabase(
  connection: string,
  options: PostgresDatabaseOptions = {},
): Database {
  const conn = parsePostgresConnection(connection);
  const where = conn.where;
  const pgDump = toolPath('pg_dump', options.binDir);
  const pgRestore = toolPath('pg_restore', options.binDir);

  const withClient = async <T>(
    database: string | undefined,
    doing: string,
    fn: (client: pg.Client) => Promise<T>,
  ): Promise<T> => {
    const client = new pg.Client({
      connectionString: conn.clientUrl(database),
      connectionTimeoutMillis: 10_000,
      application_name: 'eclusa',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw clientError(error, where, 'connecting to');
    }
    try {
      return await fn(client);
    } catch (error) {
      throw clientError(error, where, doing);
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const tool = (
    command: string,
    args: string[],
    extra: Partial<Parameters<typeof runTool>[0]> = {},
  ) => runTool({ command, args, env: conn.toolEnv, install: INSTALL, ...extra });

  const versionOf = async (client: pg.Client): Promise<{ num: number; text: string }> => {
    const { rows } = await client.query<{ num: string; text: string }>(
      "select current_setting('server_version_num') as num, current_setting('server_version') as text",
    );
    return { num: Number(rows[0]?.num), text: (rows[0]?.text ?? '').split(' ')[0] ?? '' };
  };

  /** pg_dump's version line, after checking it is not older than the server. */
  const checkedDumpTool = async (serverNum: number): Promise<string> => {
    const result = await tool(pgDump, ['--version'], { captureStdout: true });
    if (result.code !== 0) throw toolError(result, 'PG_DUMP_FAILED', 'running pg_dump for', where);
    const line = result.stdout.trim();
    checkDumpVersion(pgDump, line, serverNum);
    return line;
  };

  const serverNum = (): Promise<number> =>
    withClient(
      undefined,
      'reading the version of',
      async (client) => (await versionOf(client)).num,
    );

  const checkName = (name: string): string => {
    if (!DATABASE_NAME.test(name))
      throw invalidInput('DATABASE_NAME_INVALID', `"${name}" is not a usable database name`, {
        hint: 'use lowercase letters, digits and _, at most 63 characters',
      });
    return name;
  };

  return {
    engine: 'postgres',
    name: conn.database,

    serverVersion: () =>
      withClient(
        undefined,
        'reading the version of',
        async (client) => (await versionOf(client)).text,
      ),

    async backup(file: string, backupOptions: { signal?: AbortSignal } = {}): Promise<DumpResult> {
      return withClient(undefined, 'backing up', async (client) => {
        const version = await versionOf(client);
        const toolVersion = await checkedDumpTool(version.num);
        // pg_dump reads the snapshot this transaction exports, and the table statistics are
        // read in the same transaction: both see exactly the same data.
        await client.query('begin isolation level repeatable read read only');
        const { rows } = await client.query<{ snapshot: string }>(
          'select pg_export_snapshot() as snapshot',
        );
        const stop = new AbortController();
        const onAbort = () => stop.abort();
        backupOptions.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          // The dump goes through this process to the file: hashed on the way, and read
          // back whole by pg_restore at the same time, which is what catches a dump cut
          // short or unreadable without reading the file twice more once it is written.
          const dump = streamDump(
            {
              command: pgDump,
              args: [
                '--format=custom',
                `--snapshot=${rows[0]?.snapshot ?? ''}`,
                `--dbname=${conn.toolUrl()}`,
              ],
              env: conn.toolEnv,
              install: INSTALL,
            },
            { command: pgRestore, args: ['--file=/dev/null'], env: conn.toolEnv, install: INSTALL },
            file,
            stop.signal,
          );
          // A dump that fails (killed, disk full) ends the statistics query too: its
          // session is closed instead of waiting for tables nobody will compare.
          let dumpFailed = false;
          const watched = dump.then((result) => {
            if (result.failed !== undefined && result.failed !== 'stopped') {
              dumpFailed = true;
              void client.end().catch(() => undefined);
            }
            return result;
          });
          watched.catch(() => undefined);
          let tables: TableStat[];
          try {
            tables = await postgresTableStats(client);
          } catch (error) {
            if (!dumpFailed) stop.abort();
            const result = await watched;
            if (dumpFailed) throw streamError(result, file, where);
            throw error;
          }
          const result = await watched;
          if (result.failed !== undefined) throw streamError(result, file, where);
          await client.query('commit');
          const list = await tool(pgRestore, ['--list', file], { captureStdout: true });
          if (list.code !== 0) throw invalidDump(file, list);
          return {
            serverVersion: version.text,
            toolVersion,
            tables,
            checked: { size: result.size, sha256: result.sha256, entries: listEntries(list) },
          };
        } finally {
          backupOptions.signal?.removeEventListener('abort', onAbort);
        }
      });
    },

    async validate(file: string): Promise<DumpValidation> {
      const list = await tool(pgRestore, ['--list', file], { captureStdout: true });
      if (list.code !== 0) throw invalidDump(file, list);
      const entries = listEntries(list);
      // --list reads only the table of contents; reading every data block back (into
      // nowhere) is what catches a file cut short.
      const read = await tool(pgRestore, ['--file=/dev/null', file]);
      if (read.code !== 0) throw invalidDump(file, read);
      return { entries };
    },

    async restore(file: string, into: string, restoreOptions: RestoreOptions = {}): Promise<void> {
      const args = [
        `--dbname=${conn.toolUrl(checkName(into))}`,
        '--exit-on-error',
        ...(restoreOptions.replace === true
          ? ['--clean', '--if-exists', '--single-transaction']
          : ['--no-owner', '--no-privileges']),
        file,
      ];
      const result = await tool(pgRestore, args, {
        ...(restoreOptions.signal ? { signal: restoreOptions.signal } : {}),
      });
      if (result.code !== 0)
        throw toolError(result, 'PG_RESTORE_FAILED', `pg_restore into ${into} on`, where);
    },

    createDatabase: (name: string) =>
      withClient(undefined, `creating database ${name} on`, async (client) => {
        // The copy gets the source's encoding and collation, so text compares the same way.
        const { rows } = await client.query<{ encoding: string; collate: string; ctype: string }>(
          `select pg_encoding_to_char(encoding) as encoding, datcollate as collate, datctype as ctype
           from pg_catalog.pg_database where datname = current_database()`,
        );
        const source = rows[0];
        await client.query(
          `create database ${client.escapeIdentifier(checkName(name))} template template0` +
            (source
              ? ` encoding ${client.escapeLiteral(source.encoding)} lc_collate ${client.escapeLiteral(source.collate)} lc_ctype ${client.escapeLiteral(source.ctype)}`
              : ''),
        );
      }),

    dropDatabase: (name: string) =>
      withClient(undefined, `dropping database ${name} on`, async (client) => {
        const target = client.escapeIdentifier(checkName(name));
        if ((await versionOf(client)).num >= 130_000) {
          await client.query(`drop database if exists ${target} with (force)`);
          return;
        }
        await client.query(
          'select pg_terminate_backend(pid) from pg_catalog.pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`drop database if exists ${target}`);
      }),

    tableStats: (database?: string, like?: readonly TableStat[]) =>
      withClient(database, 'reading table statistics of', async (client) => {
        await client.query('begin isolation level repeatable read read only');
        const stats = await postgresTableStats(client, like);
        await client.query('commit');
        return stats;
      }),

    async schemaDump(database?: string): Promise<string> {
      await checkedDumpTool(await serverNum());
      const result = await tool(
        pgDump,
        ['--schema-only', '--no-owner', '--no-privileges', `--dbname=${conn.toolUrl(database)}`],
        { captureStdout: true },
      );
      if (result.code !== 0)
        throw toolError(result, 'PG_DUMP_FAILED', 'pg_dump --schema-only of', where);
      return result.stdout;
    },

    openMigrations: (database?: string): Promise<MigrationSession> =>
      openPostgresMigrations(conn.clientUrl(database), where),

    close: () => Promise.resolve(),
  };
}

/** Entries in `pg_restore --list` output: every line but blanks and `;` comments. */
function listEntries(list: ToolResult): number {
  return list.stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'))
    .length;
}

/** The first failure of a streamed dump as an EclusaError. */
function streamError(result: StreamedDump, file: string, where: string): EclusaError {
  if (result.failed === 'write') {
    const error = result.writeError;
    const code = error?.code ?? 'error';
    return code === 'ENOSPC'
      ? new EclusaError(
          'failed',
          'BACKUP_DISK_FULL',
          `pg_dump of ${where}: the disk filled up writing ${file} (${error?.message ?? code})`,
          { hint: 'free space in the backup folder, or lower backup.retention' },
        )
      : new EclusaError(
          'failed',
          'BACKUP_DIR_NOT_WRITABLE',
          `pg_dump of ${where}: writing ${file} failed (${error?.message ?? code})`,
          { hint: 'check the backup folder: its disk, its permissions, its mount' },
        );
  }
  if (result.failed === 'check') return invalidDump(file, result.check);
  return toolError(result.dump, 'PG_DUMP_FAILED', 'pg_dump of', where);
}

function invalidDump(file: string, result: ToolResult): EclusaError {
  const text = result.stderr.trim().split('\n').slice(-3).join('; ');
  return new EclusaError(
    'failed',
    'DUMP_INVALID',
    `${file} is not a complete PostgreSQL dump: ${text}`,
    {
      hint: 'the file is truncated or damaged; take a new backup',
    },
  );
}

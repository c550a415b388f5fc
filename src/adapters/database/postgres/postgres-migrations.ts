import pg from 'pg';
import { EclusaError, refused } from '../../../core/errors/eclusa-error.js';
import type {
  LedgerEntry,
  MigrationScript,
  MigrationSession,
} from '../../../core/database/migration-session.js';
import { clientError } from './postgres-errors.js';

/*
 * The runners' lock: a session-level advisory lock on a two-key id ("eclu", "migr"), a key
 * space apart from the single bigint key eclusa's own store locks with, so a target that
 * happens to be the store's database never contends with it.
 */
const LOCK = [0x65636c75, 0x6d696772] as const;

const LEDGER = 'eclusa_migrations';

const CREATE_LEDGER = `create table if not exists ${LEDGER} (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null,
  duration_ms integer not null,
  applied_by text not null
)`;

/** 1-based line of a 1-based character position in `text`. */
function lineAt(text: string, position: number): number {
  return text.slice(0, Math.max(0, position - 1)).split('\n').length;
}

function failed(
  script: MigrationScript,
  error: unknown,
  sql: string,
  lineOffset: number,
  note: string,
): EclusaError {
  const err = error as { message?: string; position?: string; code?: string };
  const line =
    err.position === undefined ? undefined : lineOffset + lineAt(sql, Number(err.position));
  return new EclusaError(
    'failed',
    'MIGRATION_FAILED',
    `${script.file}${line === undefined ? '' : `:${line}`}: ${err.message ?? String(error)}${note}`,
    {
      hint: 'fix the migration (a new file if this one was ever applied elsewhere) and run again',
      details: { file: script.file, ...(line === undefined ? {} : { line }), sqlState: err.code },
      cause: error,
    },
  );
}

/** A MigrationSession on one PostgreSQL connection. */
export async function openPostgresMigrations(
  url: string,
  where: string,
): Promise<MigrationSession> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    application_name: 'eclusa migrate',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw clientError(error, where, 'connecting to');
  }

  const ledgerColumns = async (): Promise<string[] | undefined> => {
    const { rows } = await client.query<{ column: string }>(
      `select a.attname as column from pg_catalog.pg_attribute a
       where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped`,
      [LEDGER],
    );
    return rows.length === 0 ? undefined : rows.map((row) => row.column);
  };

  const ensureLedger = async (): Promise<void> => {
    const columns = await ledgerColumns();
    if (columns === undefined) await client.query(CREATE_LEDGER);
    else if (!columns.includes('checksum'))
      throw new EclusaError(
        'failed',
        'LEDGER_CONFLICT',
        `${where} has a table ${LEDGER} that is not a migration ledger (it has no checksum column)`,
        {
          hint: "is this eclusa's own store database? Point the component's connection at the application database",
        },
      );
  };

  const insert = (entry: LedgerEntry) =>
    client.query(
      `insert into ${LEDGER} (version, name, checksum, applied_at, duration_ms, applied_by)
       values ($1, $2, $3, $4, $5, $6)`,
      [
        entry.version,
        entry.name,
        entry.checksum,
        entry.appliedAt,
        Math.round(entry.durationMs),
        entry.appliedBy,
      ],
    );

  /** Runs the script: whole in the caller's transaction, or statement by statement. */
  const execute = async (script: MigrationScript): Promise<void> => {
    if (script.transactional) {
      try {
        await client.query(script.sql);
      } catch (error) {
        throw failed(script, error, script.sql, 0, '; the transaction was rolled back');
      }
      return;
    }
    let offset = 0;
    for (const [index, statement] of script.statements.entries()) {
      const at = script.sql.indexOf(statement, offset);
      const lineOffset = at < 0 ? 0 : lineAt(script.sql, at + 1) - 1;
      try {
        await client.query(statement);
      } catch (error) {
        throw failed(
          script,
          error,
          statement,
          lineOffset,
          `; it runs without a transaction (eclusa:no-transaction): statements 1-${index} took effect and stay, the ledger is unchanged`,
        );
      }
      if (at >= 0) offset = at + statement.length;
    }
  };

  const inTransaction = async (work: () => Promise<void>): Promise<void> => {
    await client.query('begin');
    try {
      await work();
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  };

  return {
    async lock(waitMs: number): Promise<void> {
      try {
        await client.query(`set lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
        await client.query('select pg_advisory_lock($1, $2)', [...LOCK]);
        await client.query('reset lock_timeout');
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03')
          throw clientError(error, where, 'locking');
        const holder = await client
          .query<{ pid: number; application_name: string; client_addr: string | null }>(
            `select a.pid, a.application_name, a.client_addr::text
             from pg_catalog.pg_locks l join pg_catalog.pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.granted`,
            [...LOCK],
          )
          .then((result) => result.rows[0])
          .catch(() => undefined);
        throw refused(
          'MIGRATIONS_LOCKED',
          `another migration runner is working on ${where}${holder ? ` (server pid ${holder.pid}, ${holder.application_name || 'unnamed'}${holder.client_addr ? ` from ${holder.client_addr}` : ''})` : ''}`,
          { hint: 'wait for it to finish, then run again', retryable: true },
        );
      }
    },

    async readLedger(): Promise<LedgerEntry[]> {
      const columns = await ledgerColumns();
      if (columns === undefined) return [];
      if (!columns.includes('checksum')) await ensureLedger();
      const { rows } = await client.query<{
        version: number;
        name: string;
        checksum: string;
        applied_at: Date;
        duration_ms: number;
        applied_by: string;
      }>(
        `select version, name, checksum, applied_at, duration_ms, applied_by from ${LEDGER} order by version`,
      );
      return rows.map((row) => ({
        version: Number(row.version),
        name: row.name,
        checksum: row.checksum,
        appliedAt: new Date(row.applied_at).toISOString(),
        durationMs: Number(row.duration_ms),
        appliedBy: row.applied_by,
      }));
    },

    async apply(script: MigrationScript, appliedBy: string, appliedAt: string): Promise<number> {
      await ensureLedger();
      const started = performance.now();
      const entry = (durationMs: number): LedgerEntry => ({
        version: script.version,
        name: script.name,
        checksum: script.checksum,
        appliedAt,
        durationMs,
        appliedBy,
      });
      if (script.transactional) {
        let duration = 0;
        await inTransaction(async () => {
          await execute(script);
          duration = performance.now() - started;
          await insert(entry(duration));
        });
        return duration;
      }
      await execute(script);
      const duration = performance.now() - started;
      await insert(entry(duration));
      return duration;
    },

    async revert(script: MigrationScript, version: number): Promise<number> {
      const started = performance.now();
      const remove = () => client.query(`delete from ${LEDGER} where version = $1`, [version]);
      if (script.transactional) {
        await inTransaction(async () => {
          await execute(script);
          await remove();
        });
      } else {
        await execute(script);
        await remove();
      }
      return performance.now() - started;
    },

    async record(entry: LedgerEntry): Promise<void> {
      await ensureLedger();
      await insert(entry);
    },

    async close(): Promise<void> {
      // Ending the session releases its advisory lock.
      await client.end().catch(() => undefined);
    },
  };
}

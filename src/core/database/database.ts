import type { DatabaseEngineName, TableStat } from '../store/database-records.js';
import type { MigrationSession } from './migration-session.js';

/** What a dump produced, besides the file. */
export interface DumpResult {
  readonly serverVersion: string;
  /** The dump tool's own `--version` line. */
  readonly toolVersion: string;
  /** Row counts and checksums in the dump's own snapshot; absent when none could be captured. */
  readonly tables?: readonly TableStat[];
  /** Why `tables` is absent. */
  readonly baselineNote?: string;
  /**
   * Set when the engine validated the dump and measured the file as it wrote it: size and
   * SHA-256 of the bytes written, and the entries its own validation found. Without it the
   * caller validates and hashes the file afterwards.
   */
  readonly checked?: { readonly size: number; readonly sha256: string; readonly entries: number };
}

export interface DumpValidation {
  /** Entries in the dump's table of contents (pg_restore --list), or CREATE TABLEs (MySQL). */
  readonly entries: number;
}

export interface RestoreOptions {
  /**
   * Replace what `into` holds (a production restore): PostgreSQL drops and recreates the
   * dump's objects in one transaction; without it the target must be an empty database.
   */
  readonly replace?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The Database port: one database server reached through one connection string, and the
 * database that string names. Other databases (scratch copies) live on the same server.
 * Implementations never put the password on a command line or in an error message.
 */
export interface Database {
  readonly engine: DatabaseEngineName;
  /** The database the connection names. */
  readonly name: string;
  /** The server's version, e.g. `15.18` or `10.11.19-MariaDB`. */
  serverVersion(): Promise<string>;
  /**
   * Dumps the connection's database into `file`, capturing per-table row counts and
   * checksums of the same data. On failure it throws and may leave a partial file, which
   * the caller removes.
   */
  backup(file: string, options?: { signal?: AbortSignal }): Promise<DumpResult>;
  /** Reads the whole dump back; throws DUMP_INVALID when it is truncated or unreadable. */
  validate(file: string): Promise<DumpValidation>;
  /** Restores `file` into the database `into` on the same server. */
  restore(file: string, into: string, options?: RestoreOptions): Promise<void>;
  /** Creates an empty database; throws when it exists. */
  createDatabase(name: string): Promise<void>;
  /** Drops a database and the sessions on it; nothing happens when it does not exist. */
  dropDatabase(name: string): Promise<void>;
  /**
   * Row counts and checksums of every table (default: the connection's database). With
   * `like` (checksums recorded by a backup), each table is hashed the way its recorded
   * checksum was, so the two compare.
   */
  tableStats(database?: string, like?: readonly TableStat[]): Promise<TableStat[]>;
  /** The schema as the engine's own dump tool prints it, without data, owners or grants. */
  schemaDump(database?: string): Promise<string>;
  /** A session for the built-in migration runner; engines without one refuse. */
  openMigrations(database?: string): Promise<MigrationSession>;
  close(): Promise<void>;
}

/** Builds a Database from a component's engine and its resolved connection string. */
export type OpenDatabase = (engine: DatabaseEngineName, connection: string) => Database;

/** Scratch database names: lowercase, digits and `_`, at most 63 bytes (PostgreSQL's limit). */
export function scratchName(prefix: string, database: string, id: string): string {
  const clean = (text: string): string => text.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return `eclusa_${clean(prefix)}_${clean(database)}_${clean(id)}`.slice(0, 63);
}

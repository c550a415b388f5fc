/*
 * What the store keeps about databases: backups, restore drills, production restores and
 * their approvals, migration runs and drift checks. Times are ISO-8601 UTC strings, sizes
 * bytes, durations milliseconds. No record ever holds a connection string or a password.
 */

export type DatabaseEngineName = 'postgres' | 'mysql';

/** One table's row count and content checksum, as captured at backup time or after a restore. */
export interface TableStat {
  /** `schema.table` for PostgreSQL, the table name for MySQL. */
  readonly table: string;
  readonly rows: number;
  /** Order-independent digest of the rows' text; equal content gives an equal checksum. */
  readonly checksum: string;
}

export interface BackupRecord {
  readonly id: string;
  readonly environment: string;
  /** The database component's name in the policy. */
  readonly database: string;
  readonly engine: DatabaseEngineName;
  /** `verified`: the dump was written and validated; `failed`: nothing usable was kept. */
  readonly status: 'verified' | 'failed';
  readonly reason?: string;
  /** The deployment whose `backup` step took it, if any: re-running that step reuses it. */
  readonly deploymentId?: string;
  /** Absolute path of the dump; absent when the backup failed. */
  readonly file?: string;
  readonly size?: number;
  /** Lowercase hex SHA-256 of the file. */
  readonly sha256?: string;
  readonly serverVersion?: string;
  /** `pg_dump (PostgreSQL) 15.18`, `mysqldump … Distrib 10.11.19-MariaDB` … */
  readonly toolVersion?: string;
  /** Entries `pg_restore --list` (or the MySQL dump reader) found in the file. */
  readonly entries?: number;
  /** Row counts and checksums in the dump's own snapshot; absent when none could be captured. */
  readonly tables?: readonly TableStat[];
  /** Why `tables` is absent although the dump succeeded. */
  readonly baselineNote?: string;
  /** Why the backup failed (redacted). */
  readonly error?: string;
  readonly createdBy: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** Set once, when retention deleted the file. */
  readonly prunedAt?: string;
}

export interface TableMismatch {
  readonly table: string;
  readonly expected?: { readonly rows: number; readonly checksum: string };
  readonly actual?: { readonly rows: number; readonly checksum: string };
}

export interface DrillRecord {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  readonly backupId: string;
  /** `unverified`: the restore worked but the backup has no baseline to compare with. */
  readonly status: 'passed' | 'failed' | 'unverified';
  readonly scratchDatabase: string;
  /** False only when dropping the scratch database failed too (its name is then worth a look). */
  readonly scratchDropped: boolean;
  /** Recovery time objective as measured: how long the restore took. */
  readonly rtoMs?: number;
  /** Recovery point objective as measured: the backup's age when the drill started. */
  readonly rpoMs: number;
  readonly tablesCompared: number;
  readonly mismatches: readonly TableMismatch[];
  readonly error?: string;
  readonly createdBy: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A named role's consent to restore one production database, used by at most one restore. */
export interface RestoreApprovalRecord {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  /** The backup the approver had in mind; absent: the newest verified one at restore time. */
  readonly backupId?: string;
  readonly role: string;
  readonly approvedBy: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Set once, when a restore consumed the approval. */
  readonly usedAt?: string;
  readonly usedBy?: string;
}

export interface RestoreRecord {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  readonly backupId: string;
  /** The backup of the state just before the restore. */
  readonly safetyBackupId?: string;
  readonly approvalId: string;
  readonly approvedBy: string;
  readonly status: 'succeeded' | 'failed';
  readonly deploymentId?: string;
  readonly durationMs?: number;
  readonly error?: string;
  readonly createdBy: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly durationMs: number;
}

export interface MigrationRunRecord {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  readonly tool: 'sql' | 'command';
  readonly direction: 'up' | 'down';
  /**
   * `refused`: stopped before anything executed (drift, order, syntax); `adopted`: a live
   * change written as a migration and recorded as applied without running it.
   */
  readonly status: 'succeeded' | 'failed' | 'refused' | 'adopted';
  readonly deploymentId?: string;
  /** Migrations applied (up) or reverted (down), in the order they ran. */
  readonly migrations: readonly AppliedMigration[];
  readonly failure?: { readonly file?: string; readonly message: string };
  /** The `command` tool's output, bounded and redacted. */
  readonly output?: string;
  readonly createdBy: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface SchemaDifference {
  /** `table public.users`, `index public.users_email_idx`, `migration 004_add_x.up.sql` … */
  readonly object: string;
  /** `extra`: only live has it; `missing`: only the migrations have it; `changed`: both, unequal. */
  readonly change: 'extra' | 'missing' | 'changed';
  readonly live?: string;
  readonly expected?: string;
}

export interface DriftCheckRecord {
  readonly id: string;
  readonly environment: string;
  readonly database: string;
  readonly status: 'clean' | 'drifted';
  /** The newest migration version the ledger records, null for an empty ledger. */
  readonly ledgerVersion: number | null;
  readonly differences: readonly SchemaDifference[];
  readonly createdBy: string;
  readonly checkedAt: string;
}

/** Filters of the database listings; records come oldest first. */
export interface DatabaseRecordFilter {
  readonly environment?: string;
  readonly database?: string;
  readonly deploymentId?: string;
}

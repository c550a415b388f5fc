/** One row of the ledger table `eclusa_migrations` in the target database. */
export interface LedgerEntry {
  readonly version: number;
  readonly name: string;
  /** Lowercase hex SHA-256 of the `.up.sql` file as it was applied. */
  readonly checksum: string;
  readonly appliedAt: string;
  readonly durationMs: number;
  readonly appliedBy: string;
}

/** One migration file ready to run. */
export interface MigrationScript {
  readonly version: number;
  readonly name: string;
  /** The file name, for messages. */
  readonly file: string;
  readonly sql: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly checksum: string;
  /** False when the file starts with `-- eclusa:no-transaction`. */
  readonly transactional: boolean;
  /** The file split into statements (run one by one when not transactional). */
  readonly statements: readonly string[];
}

/**
 * The built-in runner's hold on one database: an exclusive lock among runners, the ledger,
 * and running scripts. Each `apply` and `revert` is one transaction with its ledger change
 * unless the script is not transactional.
 */
export interface MigrationSession {
  /** Waits up to `waitMs` for the runners' lock; refuses (MIGRATIONS_LOCKED) after that. */
  lock(waitMs: number): Promise<void>;
  /** The ledger, ascending by version; empty when the table does not exist yet. */
  readLedger(): Promise<LedgerEntry[]>;
  /** Runs the script and records it in the ledger (created if missing); resolves to its duration. */
  apply(script: MigrationScript, appliedBy: string, appliedAt: string): Promise<number>;
  /** Runs a down script and removes `version` from the ledger; resolves to its duration. */
  revert(script: MigrationScript, version: number): Promise<number>;
  /** Records a migration as applied without running it (adoption of a live change). */
  record(entry: LedgerEntry): Promise<void>;
  /** Releases the lock and the connection. */
  close(): Promise<void>;
}

import type { MigrationFile } from './migration-files.js';
import type { LedgerEntry } from './migration-session.js';

/**
 * A migration's state against the ledger:
 * - `applied`: in the ledger with the same checksum;
 * - `pending`: not in the ledger, numbered above everything applied;
 * - `edited`: in the ledger, but the file's checksum differs;
 * - `missing`: in the ledger, but no file has its version;
 * - `out-of-order`: not in the ledger, numbered below the newest applied version.
 * `edited` and `missing` are drift: the files no longer describe what was applied.
 */
export type MigrationState = 'applied' | 'pending' | 'edited' | 'missing' | 'out-of-order';

export interface MigrationStatusEntry {
  readonly version: number;
  readonly name: string;
  readonly state: MigrationState;
  /** The up file, when one exists. */
  readonly file?: string;
  readonly hasDown: boolean;
  readonly checksum?: string;
  readonly ledgerChecksum?: string;
  readonly appliedAt?: string;
  readonly appliedBy?: string;
}

export interface MigrationPlan {
  /** Every version in the files or the ledger, ascending. */
  readonly entries: readonly MigrationStatusEntry[];
  /** Files to apply, ascending; empty when `problems` is not. */
  readonly pending: readonly MigrationFile[];
  /** Entries that stop a run before anything executes. */
  readonly problems: readonly MigrationStatusEntry[];
}

/** Compares the files with the ledger. Pure. */
export function planMigrations(
  files: readonly MigrationFile[],
  ledger: readonly LedgerEntry[],
): MigrationPlan {
  const applied = new Map(ledger.map((entry) => [entry.version, entry]));
  const newestApplied = Math.max(0, ...ledger.map((entry) => entry.version));
  const entries: MigrationStatusEntry[] = [];
  const seen = new Set<number>();
  for (const file of files) {
    seen.add(file.version);
    const done = applied.get(file.version);
    const base = {
      version: file.version,
      name: file.name,
      file: file.up.file,
      hasDown: file.down !== undefined,
      checksum: file.up.checksum,
    };
    if (done) {
      entries.push({
        ...base,
        state: done.checksum === file.up.checksum ? 'applied' : 'edited',
        ledgerChecksum: done.checksum,
        appliedAt: done.appliedAt,
        appliedBy: done.appliedBy,
      });
    } else {
      entries.push({ ...base, state: file.version < newestApplied ? 'out-of-order' : 'pending' });
    }
  }
  for (const done of ledger) {
    if (seen.has(done.version)) continue;
    entries.push({
      version: done.version,
      name: done.name,
      state: 'missing',
      hasDown: false,
      ledgerChecksum: done.checksum,
      appliedAt: done.appliedAt,
      appliedBy: done.appliedBy,
    });
  }
  entries.sort((a, b) => a.version - b.version);
  const problems = entries.filter(
    (entry) =>
      entry.state === 'edited' || entry.state === 'missing' || entry.state === 'out-of-order',
  );
  const pending =
    problems.length > 0
      ? []
      : files.filter(
          (file) => entries.find((e) => e.version === file.version)?.state === 'pending',
        );
  return { entries, pending, problems };
}

/** One line per problem, naming the file and what to do. */
export function describeProblem(entry: MigrationStatusEntry): string {
  const label = entry.file ?? `version ${entry.version} (${entry.name})`;
  switch (entry.state) {
    case 'edited':
      return `${label} was edited after it was applied (checksum ${entry.ledgerChecksum?.slice(0, 12) ?? '?'}… in the ledger, ${entry.checksum?.slice(0, 12) ?? '?'}… on disk): restore the applied content and put the change in a new migration`;
    case 'missing':
      return `${label} is in the ledger (applied ${entry.appliedAt ?? '?'}) but its file is gone: restore the file`;
    case 'out-of-order':
      return `${label} is pending but numbered below a migration already applied: renumber it after the newest applied version`;
    default:
      return `${label} is ${entry.state}`;
  }
}

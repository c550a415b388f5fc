import { invalidInput } from '../../core/errors/eclusa-error.js';
import { adoptDrift } from '../../core/services/adopt-service.js';
import { checkDrift } from '../../core/services/drift-service.js';
import {
  migrateDown,
  migrationStatus,
  runMigrations,
  type MigrationStatusReport,
} from '../../core/services/migration-service.js';
import type { DriftCheckRecord, MigrationRunRecord } from '../../core/store/database-records.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { chosenDatabases, withDatabaseRuntime } from '../database-runtime.js';

interface Common {
  readonly env: string;
  readonly database?: string;
  readonly file?: string;
  readonly json?: boolean;
}

const MARK: Record<string, string> = {
  applied: '✓',
  pending: '·',
  edited: '✗',
  missing: '✗',
  'out-of-order': '✗',
};

function statusLines(report: MigrationStatusReport): string[] {
  const lines = [
    `${report.database} (${report.environment}): ${report.applied} applied, ${report.pending} pending`,
  ];
  for (const entry of report.entries)
    lines.push(
      `  ${MARK[entry.state] ?? '?'} ${(entry.file ?? `${entry.version}_${entry.name} (no file)`).padEnd(40)} ${entry.state}${entry.appliedAt ? `  ${entry.appliedAt} by ${entry.appliedBy ?? '?'}` : ''}`,
    );
  for (const problem of report.problems) lines.push(`  problem: ${problem}`);
  const last = report.runs[0];
  if (last)
    lines.push(
      `  last run: ${last.direction} ${last.status} at ${last.finishedAt} (${last.tool}${last.failure ? `: ${last.failure.message}` : ''})`,
    );
  return lines;
}

/** `eclusa migrate status`: exit 0, or 3 when a file is edited, missing or out of order. */
export async function migrateStatus(io: CliIo, options: Common): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: false }, async (context) => {
    const reports: MigrationStatusReport[] = [];
    for (const database of chosenDatabases(
      context,
      options.database,
      'migrate',
      (c) => c.migrations !== undefined,
    ))
      reports.push(await migrationStatus(context, { environment: options.env, database }));
    const ok = reports.every((report) => report.problems.length === 0);
    if (options.json) writeJson(io, { ok, environment: options.env, databases: reports });
    else for (const report of reports) for (const line of statusLines(report)) io.out(line);
    return ok ? 0 : 3;
  });
}

function runLine(run: MigrationRunRecord): string {
  const versions = run.migrations.map((m) => `${m.version}_${m.name}`);
  if (run.tool === 'command')
    return `${run.database} (${run.environment}): migration command ${run.direction} ${run.status}`;
  return versions.length === 0
    ? `${run.database} (${run.environment}): nothing to ${run.direction === 'up' ? 'apply' : 'revert'}`
    : `${run.database} (${run.environment}): ${run.direction === 'up' ? 'applied' : 'reverted'} ${versions.join(', ')}`;
}

/** `eclusa migrate up`: exit 0 applied, 3 refused before anything ran, 5 a migration failed. */
export async function migrateUp(io: CliIo, options: Common): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const runs: MigrationRunRecord[] = [];
    for (const database of chosenDatabases(
      context,
      options.database,
      'migrate',
      (c) => c.migrations !== undefined,
    )) {
      const run = await runMigrations(context, { environment: options.env, database });
      runs.push(run);
      if (!options.json) {
        io.out(runLine(run));
        if (run.output) io.out(run.output.trimEnd());
      }
    }
    if (options.json) writeJson(io, { ok: true, runs });
    return 0;
  });
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < (flag === '--to' ? 0 : 1))
    throw invalidInput(
      'INVALID_NUMBER',
      `${flag} "${value}" is not a ${flag === '--to' ? 'version' : 'positive count'}`,
      {
        hint: flag === '--to' ? 'e.g. --to 3 reverts everything above version 3' : 'e.g. --steps 1',
      },
    );
  return number;
}

/** `eclusa migrate down`: newest first, when the policy allows down migrations. */
export async function migrateDownCommand(
  io: CliIo,
  options: Common & { steps?: string; to?: string },
): Promise<number> {
  const steps = positive(options.steps, '--steps');
  const to = positive(options.to, '--to');
  if (steps !== undefined && to !== undefined)
    throw invalidInput('USAGE', 'give --steps or --to, not both', {
      hint: 'eclusa migrate down --env E --steps 1',
    });
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const database = chosenDatabases(
      context,
      options.database,
      'migrate',
      (c) => c.migrations !== undefined,
    );
    if (database.length > 1)
      throw invalidInput(
        'DATABASE_REQUIRED',
        `say which database to migrate down: ${database.join(', ')}`,
        {
          hint: '--database NAME',
        },
      );
    const run = await migrateDown(context, {
      environment: options.env,
      database: database[0] ?? '',
      ...(steps === undefined ? {} : { steps }),
      ...(to === undefined ? {} : { to }),
    });
    if (options.json) writeJson(io, { ok: true, runs: [run] });
    else {
      io.out(runLine(run));
      if (run.output) io.out(run.output.trimEnd());
    }
    return 0;
  });
}

function driftLines(check: DriftCheckRecord): string[] {
  if (check.status === 'clean')
    return [
      `${check.database} (${check.environment}): the live schema matches the migrations (ledger at ${check.ledgerVersion ?? 'none'})`,
    ];
  return [
    `${check.database} (${check.environment}): the live schema differs from the migrations (ledger at ${check.ledgerVersion ?? 'none'}):`,
    ...check.differences.map((d) => `  ${d.change.padEnd(7)} ${d.object}`),
  ];
}

/** `eclusa migrate drift`: exit 0 clean, 3 when the live schema differs (the drift gate fails). */
export async function migrateDrift(io: CliIo, options: Common): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const checks: DriftCheckRecord[] = [];
    const databases = chosenDatabases(
      context,
      options.database,
      'check for drift',
      (c) => c.engine === 'postgres' && c.migrations?.tool === 'sql',
    );
    for (const database of databases) {
      const check = await checkDrift(context, { environment: options.env, database });
      checks.push(check);
      if (!options.json) for (const line of driftLines(check)) io.out(line);
    }
    const ok = checks.every((check) => check.status === 'clean');
    if (options.json) writeJson(io, { ok, checks });
    return ok ? 0 : 3;
  });
}

/** `eclusa migrate adopt`: writes the live difference as the next migration, recorded as applied. */
export async function migrateAdopt(io: CliIo, options: Common & { name: string }): Promise<number> {
  return withDatabaseRuntime(io, { file: options.file, writes: true }, async (context) => {
    const databases = chosenDatabases(
      context,
      options.database,
      'adopt',
      (c) => c.engine === 'postgres' && c.migrations?.tool === 'sql',
    );
    if (databases.length > 1)
      throw invalidInput(
        'DATABASE_REQUIRED',
        `say which database to adopt from: ${databases.join(', ')}`,
        {
          hint: '--database NAME',
        },
      );
    const outcome = await adoptDrift(context, {
      environment: options.env,
      database: databases[0] ?? '',
      name: options.name,
    });
    if (options.json) writeJson(io, { ok: true, ...outcome });
    else if (!outcome.adopted) io.out('the live schema matches the migrations: nothing to adopt');
    else {
      io.out(
        `wrote ${outcome.file ?? '?'} (version ${outcome.version ?? '?'}), recorded as applied in ${options.env}:`,
      );
      for (const statement of outcome.statements) io.out(`  ${statement.split('\n').join('\n  ')}`);
      io.out('review it and commit it: it runs in every other environment');
    }
    return 0;
  });
}

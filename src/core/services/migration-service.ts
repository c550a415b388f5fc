import { openComponent, scrubbed, type DatabaseContext } from '../database/database-context.js';
import {
  describeProblem,
  planMigrations,
  type MigrationStatusEntry,
} from '../database/migration-plan.js';
import { refused } from '../errors/eclusa-error.js';
import type { AppliedMigration, MigrationRunRecord } from '../store/database-records.js';
import { nowIso } from './governance-context.js';
import { runMigrationCommand } from './migration-command.js';
import { migrationTarget, recordMigrationRun, sqlMigrationFiles } from './migration-records.js';
import { prepare, startRun, withSession, type MigrateInput } from './migration-run.js';

export { migrateDown, type MigrateDownInput } from './migration-down-service.js';
export type { MigrateInput } from './migration-run.js';

export interface MigrationStatusReport {
  readonly environment: string;
  readonly database: string;
  readonly entries: readonly MigrationStatusEntry[];
  readonly applied: number;
  readonly pending: number;
  /** Edited or missing migrations, and pending ones numbered below the newest applied. */
  readonly problems: readonly string[];
  /** The latest runs in this environment, newest first (the `command` tool's only history). */
  readonly runs: readonly MigrationRunRecord[];
}

const RECENT_RUNS = 5;

/** Applied / pending / edited / missing / out-of-order per migration file, and the latest runs. Reads only. */
export async function migrationStatus(
  context: DatabaseContext,
  input: { environment: string; database: string },
): Promise<MigrationStatusReport> {
  const { environment, component, migrations } = migrationTarget(
    context,
    input.environment,
    input.database,
  );
  const runs = (
    await context.store.read((reader) =>
      reader.listMigrationRuns({ environment, database: input.database }),
    )
  )
    .slice(-RECENT_RUNS)
    .reverse();
  const report = { environment, database: input.database, runs };
  if (migrations.tool === 'command')
    return { ...report, entries: [], applied: 0, pending: 0, problems: [] };
  const files = await sqlMigrationFiles(context, input.database, migrations);
  const db = openComponent(context, input.database, component);
  try {
    const session = await db.openMigrations();
    try {
      const plan = planMigrations(files, await session.readLedger());
      return {
        ...report,
        entries: plan.entries,
        applied: plan.entries.filter((e) => e.state === 'applied').length,
        pending: plan.entries.filter((e) => e.state === 'pending').length,
        problems: plan.problems.map(describeProblem),
      };
    } finally {
      await session.close();
    }
  } catch (error) {
    throw scrubbed(context, error);
  } finally {
    await db.close();
  }
}

/**
 * Applies pending migrations (the `migrate` step and `eclusa migrate up`). The built-in
 * runner takes the runners' lock, compares the files with the ledger and stops before
 * anything executes on an edited, removed or out-of-order migration or on SQL the parser
 * cannot read; then each migration runs in its own transaction with its ledger row. What
 * the ledger already holds is skipped, so a re-run after a crash applies only the rest.
 */
export async function runMigrations(
  context: DatabaseContext,
  input: MigrateInput,
): Promise<MigrationRunRecord> {
  const target = migrationTarget(context, input.environment, input.database);
  if (target.migrations.tool === 'command')
    return runMigrationCommand(context, { ...input, ...target, direction: 'up' });
  const files = await sqlMigrationFiles(context, input.database, target.migrations);
  const run = startRun(context, target.environment, input, 'up');
  return withSession(context, input.database, target, async (session) => {
    const plan = planMigrations(files, await session.readLedger());
    if (plan.problems.length > 0) {
      const first = plan.problems[0];
      const messages = plan.problems.map(describeProblem);
      await recordMigrationRun(
        context,
        run.finish('refused', [], {
          ...(first?.file ? { file: first.file } : {}),
          message: messages.join('; '),
        }),
      );
      throw refused('MIGRATIONS_DRIFTED', `nothing ran: ${messages.join('; ')}`, {
        hint: 'eclusa migrate status shows every file against the ledger',
        details: { problems: plan.problems },
      });
    }
    const scripts = await prepare(context, run, plan.pending, 'up');
    const applied: AppliedMigration[] = [];
    for (const script of scripts) {
      try {
        const durationMs = await session.apply(script, context.actor.id, nowIso(context));
        applied.push({
          version: script.version,
          name: script.name,
          checksum: script.checksum,
          durationMs,
        });
      } catch (error) {
        const clean = scrubbed(context, error);
        await recordMigrationRun(
          context,
          run.finish('failed', applied, { file: script.file, message: clean.message }),
        );
        throw clean;
      }
    }
    const record = run.finish('succeeded', applied);
    await recordMigrationRun(context, record);
    return record;
  });
}

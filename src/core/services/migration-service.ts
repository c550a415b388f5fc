import { openComponent, scrubbed, type DatabaseContext } from '../database/database-context.js';
import type { MigrationFile } from '../database/migration-files.js';
import {
  describeProblem,
  planMigrations,
  type MigrationStatusEntry,
} from '../database/migration-plan.js';
import type { MigrationScript, MigrationSession } from '../database/migration-session.js';
import { refused } from '../errors/eclusa-error.js';
import type { AppliedMigration, MigrationRunRecord } from '../store/database-records.js';
import { nowIso } from './governance-context.js';
import { newId } from './ids.js';
import { runMigrationCommand } from './migration-command.js';
import {
  migrationScript,
  migrationTarget,
  recordMigrationRun,
  sqlMigrationFiles,
  type MigrationsConfig,
} from './migration-records.js';

export interface MigrateInput {
  readonly environment: string;
  readonly database: string;
  /** The deployment whose `migrate` step runs; recorded so its rollback knows what to undo. */
  readonly deploymentId?: string;
  readonly signal?: AbortSignal;
}

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

const DEFAULT_LOCK_WAIT_MS = 10_000;

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

export interface MigrateDownInput extends MigrateInput {
  /** Revert this many of the newest applied migrations (default 1, unless deploymentId or to). */
  readonly steps?: number;
  /** Revert every applied migration above this version. */
  readonly to?: number;
}

/**
 * Runs down migrations newest first (the rollback path's `migrate-down`), when the policy's
 * `migrations.down` allows it (`never` refuses; unset counts as `when-safe`: every migration
 * to revert must have a .down.sql file). With a deploymentId it reverts exactly what that
 * deployment applied and the ledger still holds, so a re-run does nothing more.
 */
export async function migrateDown(
  context: DatabaseContext,
  input: MigrateDownInput,
): Promise<MigrationRunRecord> {
  const target = migrationTarget(context, input.environment, input.database);
  if (target.migrations.down === 'never')
    throw refused(
      'MIGRATE_DOWN_FORBIDDEN',
      `components.${input.database}.migrations.down is never: the policy does not allow down migrations`,
      { hint: 'roll the database back by restoring a backup (with approval) instead' },
    );
  if (target.migrations.tool === 'command')
    return runMigrationCommand(context, { ...input, ...target, direction: 'down' });
  const files = await sqlMigrationFiles(context, input.database, target.migrations);
  const byVersion = new Map(files.map((file) => [file.version, file]));
  const deployed =
    input.deploymentId === undefined
      ? undefined
      : new Set(
          (
            await context.store.read((reader) =>
              reader.listMigrationRuns({
                environment: target.environment,
                database: input.database,
                deploymentId: input.deploymentId,
              }),
            )
          )
            .filter((r) => r.direction === 'up')
            .flatMap((r) => r.migrations.map((m) => m.version)),
        );
  const run = startRun(context, target.environment, input, 'down');
  return withSession(context, input.database, target, async (session) => {
    const ledger = [...(await session.readLedger())].reverse();
    const chosen =
      deployed !== undefined
        ? ledger.filter((entry) => deployed.has(entry.version))
        : input.to !== undefined
          ? ledger.filter((entry) => entry.version > (input.to ?? 0))
          : ledger.slice(0, input.steps ?? 1);
    const missing = chosen.filter((entry) => byVersion.get(entry.version)?.down === undefined);
    if (missing.length > 0) {
      const names = missing.map(
        (e) => byVersion.get(e.version)?.up.file ?? `version ${e.version} (${e.name}, file gone)`,
      );
      await recordMigrationRun(
        context,
        run.finish('refused', [], { message: `no down file for ${names.join(', ')}` }),
      );
      throw refused('MIGRATION_NO_DOWN', `nothing ran: no .down.sql file for ${names.join(', ')}`, {
        hint: 'write the down files, or restore a backup instead',
      });
    }
    const scripts = await prepare(
      context,
      run,
      chosen
        .map((entry) => byVersion.get(entry.version))
        .filter((f): f is MigrationFile => f !== undefined),
      'down',
    );
    const reverted: AppliedMigration[] = [];
    for (const script of scripts) {
      try {
        const durationMs = await session.revert(script, script.version);
        reverted.push({
          version: script.version,
          name: script.name,
          checksum: script.checksum,
          durationMs,
        });
      } catch (error) {
        const clean = scrubbed(context, error);
        await recordMigrationRun(
          context,
          run.finish('failed', reverted, { file: script.file, message: clean.message }),
        );
        throw clean;
      }
    }
    const record = run.finish('succeeded', reverted);
    await recordMigrationRun(context, record);
    return record;
  });
}

interface RunBuilder {
  finish(
    status: MigrationRunRecord['status'],
    migrations: readonly AppliedMigration[],
    failure?: MigrationRunRecord['failure'],
  ): MigrationRunRecord;
}

function startRun(
  context: DatabaseContext,
  environment: string,
  input: MigrateInput,
  direction: 'up' | 'down',
): RunBuilder {
  const id = newId('mig');
  const startedAt = nowIso(context);
  return {
    finish: (status, migrations, failure) => ({
      id,
      environment,
      database: input.database,
      tool: 'sql',
      direction,
      status,
      ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
      migrations: [...migrations],
      ...(failure === undefined ? {} : { failure }),
      createdBy: context.actor.id,
      startedAt,
      finishedAt: nowIso(context),
    }),
  };
}

/** Every script parsed before the first one runs: bad SQL stops the run with nothing executed. */
async function prepare(
  context: DatabaseContext,
  run: RunBuilder,
  files: readonly MigrationFile[],
  side: 'up' | 'down',
): Promise<MigrationScript[]> {
  const scripts: MigrationScript[] = [];
  for (const file of files) {
    try {
      scripts.push(await migrationScript(file, side));
    } catch (error) {
      const clean = scrubbed(context, error);
      await recordMigrationRun(
        context,
        run.finish('refused', [], {
          file: (side === 'up' ? file.up : (file.down ?? file.up)).file,
          message: clean.message,
        }),
      );
      throw clean;
    }
  }
  return scripts;
}

/** Opens the database's migration session, takes the runners' lock, and always lets go. */
async function withSession<T>(
  context: DatabaseContext,
  database: string,
  target: { component: Parameters<typeof openComponent>[2]; migrations: MigrationsConfig },
  fn: (session: MigrationSession) => Promise<T>,
): Promise<T> {
  const db = openComponent(context, database, target.component);
  let session: MigrationSession;
  try {
    session = await db.openMigrations();
  } catch (error) {
    throw scrubbed(context, error);
  }
  try {
    await session.lock(context.migrationLockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
    return await fn(session);
  } catch (error) {
    throw scrubbed(context, error);
  } finally {
    await session.close();
    await db.close();
  }
}

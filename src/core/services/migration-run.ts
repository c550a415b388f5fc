import { openComponent, scrubbed, type DatabaseContext } from '../database/database-context.js';
import type { MigrationFile } from '../database/migration-files.js';
import type { MigrationScript, MigrationSession } from '../database/migration-session.js';
import type { AppliedMigration, MigrationRunRecord } from '../store/database-records.js';
import { nowIso } from './governance-context.js';
import { newId } from './ids.js';
import { migrationScript, recordMigrationRun, type MigrationsConfig } from './migration-records.js';

/** What every migration run names: where, and for which deployment. */
export interface MigrateInput {
  readonly environment: string;
  readonly database: string;
  /** The deployment whose `migrate` step runs; recorded so its rollback knows what to undo. */
  readonly deploymentId?: string;
  readonly signal?: AbortSignal;
}

const DEFAULT_LOCK_WAIT_MS = 10_000;

export interface RunBuilder {
  finish(
    status: MigrationRunRecord['status'],
    migrations: readonly AppliedMigration[],
    failure?: MigrationRunRecord['failure'],
  ): MigrationRunRecord;
}

export function startRun(
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
export async function prepare(
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
export async function withSession<T>(
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

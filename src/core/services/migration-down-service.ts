import { refused } from '../errors/eclusa-error.js';
import type { MigrationFile } from '../database/migration-files.js';
import { scrubbed, type DatabaseContext } from '../database/database-context.js';
import type { AppliedMigration, MigrationRunRecord } from '../store/database-records.js';
import { runMigrationCommand } from './migration-command.js';
import { migrationTarget, recordMigrationRun, sqlMigrationFiles } from './migration-records.js';
import { prepare, startRun, withSession, type MigrateInput } from './migration-run.js';

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

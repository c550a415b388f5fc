import { textDetail } from '../step-details.js';
import type { StepExecutor } from '../step-executor.js';

/**
 * A verified backup before anything changes. The database service reuses a verified backup
 * this deployment already took, so a repeat after a crash dumps nothing twice.
 */
export const backupStep: StepExecutor = async (ctx) => {
  const database = textDetail(ctx.step, 'database') ?? '';
  if (!ctx.ports.databases) return { kind: 'failed', error: 'no database adapters in this engine' };
  const record = await ctx.ports.databases.backup(database, ctx.deployment.id, ctx.signal);
  ctx.log(
    `backup of ${database}: ${JSON.stringify({ id: record['id'], size: record['size'], sha256: record['sha256'] })}`,
  );
  return { kind: 'succeeded', output: { backup: record } };
};

/**
 * Migrations up (deploy path) or down (rollback path, only what this deployment applied).
 * The ledger makes both repeatable: applied files are skipped, reverted ones are not reverted again.
 */
export const migrateStep: StepExecutor = async (ctx) => {
  const database = textDetail(ctx.step, 'database') ?? '';
  if (!ctx.ports.databases) return { kind: 'failed', error: 'no database adapters in this engine' };
  const down = textDetail(ctx.step, 'direction') === 'down';
  const run = down
    ? await ctx.ports.databases.migrateDown(database, ctx.deployment.id, ctx.signal)
    : await ctx.ports.databases.migrate(database, ctx.deployment.id, ctx.signal);
  const status = textDetail({ ...ctx.step, details: run }, 'status');
  if (status === 'failed' || status === 'refused') {
    const failure = run['failure'] as { file?: string; message?: string } | undefined;
    const where = failure?.file ? ` (${failure.file})` : '';
    return {
      kind: 'failed',
      error: `migrations on ${database} ${status}${where}: ${failure?.message ?? ''}`,
      output: { migrations: run },
    };
  }
  return { kind: 'succeeded', output: { migrations: run } };
};

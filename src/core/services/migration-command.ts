import { dirname } from 'node:path';
import {
  scrub,
  type DatabaseComponent,
  type DatabaseContext,
} from '../database/database-context.js';
import { EclusaError, refused } from '../errors/eclusa-error.js';
import type { MigrationRunRecord } from '../store/database-records.js';
import { nowIso } from './governance-context.js';
import { newId } from './ids.js';
import { recordMigrationRun, type MigrationsConfig } from './migration-records.js';

/** Output kept from a team's migration tool: the end, where the errors are. */
export const COMMAND_OUTPUT_LIMIT = 64 * 1024;

export interface MigrationCommandInput {
  readonly environment: string;
  readonly database: string;
  readonly component: DatabaseComponent;
  readonly migrations: MigrationsConfig;
  readonly direction: 'up' | 'down';
  readonly deploymentId?: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs the team's own migration tool (`migrations.command`, or `downCommand` for down) in
 * the policy's folder with the connection in DATABASE_URL, never on its command line, and
 * records its exit and its output, bounded and with every secret blanked.
 */
export async function runMigrationCommand(
  context: DatabaseContext,
  input: MigrationCommandInput,
): Promise<MigrationRunRecord> {
  const command =
    input.direction === 'up' ? input.migrations.command : input.migrations.downCommand;
  if (command === undefined)
    throw refused(
      'MIGRATION_COMMAND_UNSET',
      `components.${input.database}.migrations has tool: command but no ${input.direction === 'up' ? 'command' : 'downCommand'}`,
      {
        hint: `set components.${input.database}.migrations.${input.direction === 'up' ? 'command' : 'downCommand'}`,
      },
    );
  const connection = context.secrets.reference(
    input.component.connection,
    `components.${input.database}.connection`,
  );
  const id = newId('mig');
  const startedAt = nowIso(context);
  const result = await context.commands.run({
    command,
    cwd: dirname(context.policy.file),
    env: {
      DATABASE_URL: connection,
      ECLUSA_ENVIRONMENT: input.environment,
      ECLUSA_DATABASE: input.database,
    },
    maxOutput: COMMAND_OUTPUT_LIMIT,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const output = scrub(context, result.output);
  const ok = result.exitCode === 0;
  const why = result.timedOut
    ? 'timed out'
    : result.signal !== null
      ? `was killed by ${result.signal}`
      : `exited with ${result.exitCode ?? '?'}`;
  const lastLines = output.trimEnd().split('\n').slice(-5).join('\n');
  const record: MigrationRunRecord = {
    id,
    environment: input.environment,
    database: input.database,
    tool: 'command',
    direction: input.direction,
    status: ok ? 'succeeded' : 'failed',
    ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
    migrations: [],
    ...(ok ? {} : { failure: { message: `${command} ${why}` } }),
    output: result.truncated ? `[… earlier output cut …]\n${output}` : output,
    createdBy: context.actor.id,
    startedAt,
    finishedAt: nowIso(context),
  };
  await recordMigrationRun(context, record);
  if (!ok)
    throw new EclusaError(
      'failed',
      'MIGRATION_COMMAND_FAILED',
      `${command} ${why}${lastLines ? `:\n${lastLines}` : ''}`,
      {
        hint: 'the full output is in the migration run record (eclusa migrate status --json shows the latest runs)',
      },
    );
  return record;
}

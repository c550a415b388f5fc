import { dirname, join } from 'node:path';
import { localDatabaseFiles } from '../adapters/database/local/local-database-files.js';
import { databaseOpener } from '../adapters/database/open-database.js';
import { shellCommandRunner } from '../adapters/database/shell/shell-command-runner.js';
import { processSecretSource } from '../adapters/secrets/process-secret-source.js';
import type { DatabaseContext } from '../core/database/database-context.js';
import type { DatabaseSteps } from '../core/engine/step-executor.js';
import { SecretResolver } from '../core/secrets/secret-resolver.js';
import type { GovernanceContext } from '../core/services/governance-context.js';
import { runBackup } from '../core/services/backup-service.js';
import { migrateDown } from '../core/services/migration-down-service.js';
import { runMigrations } from '../core/services/migration-service.js';
import type { CliIo } from './cli-io.js';

/** The engine's backup and migrate steps over the database services (the same as `eclusa backup` / `migrate`). */
export function databaseSteps(
  io: CliIo,
  home: string,
  governance: GovernanceContext,
  environment: string,
): DatabaseSteps {
  const context: DatabaseContext = {
    ...governance,
    databases: databaseOpener(io.env),
    secrets: new SecretResolver(processSecretSource(io.env, dirname(governance.policy.file))),
    files: localDatabaseFiles(),
    commands: shellCommandRunner(),
    backupRoot: join(home, 'backups'),
  };
  const plain = (value: unknown): Record<string, unknown> =>
    JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return {
    backup: async (database, deploymentId, signal) => {
      const outcome = await runBackup(context, {
        environment,
        database,
        deploymentId,
        reason: `deployment ${deploymentId}`,
        signal,
      });
      return plain({ ...outcome.backup, reused: outcome.reused });
    },
    migrate: async (database, deploymentId, signal) =>
      plain(await runMigrations(context, { environment, database, deploymentId, signal })),
    migrateDown: async (database, deploymentId, signal) =>
      plain(await migrateDown(context, { environment, database, deploymentId, signal })),
  };
}

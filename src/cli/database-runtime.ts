import { dirname, join } from 'node:path';
import { localDatabaseFiles } from '../adapters/database/local/local-database-files.js';
import { databaseOpener } from '../adapters/database/open-database.js';
import { shellCommandRunner } from '../adapters/database/shell/shell-command-runner.js';
import { processSecretSource } from '../adapters/secrets/process-secret-source.js';
import { databaseComponents, type DatabaseContext } from '../core/database/database-context.js';
import { invalidInput } from '../core/errors/eclusa-error.js';
import { SecretResolver } from '../core/secrets/secret-resolver.js';
import type { CliIo } from './cli-io.js';
import { withRuntime } from './governance-runtime.js';

/**
 * The store, the policy and the database adapters for one command. Database commands
 * change the world even when they fail (a failed backup is recorded), so the audit log is
 * sealed on failure too.
 */
export async function withDatabaseRuntime<T>(
  io: CliIo,
  options: { file?: string | undefined; writes: boolean },
  fn: (context: DatabaseContext) => Promise<T>,
): Promise<T> {
  return withRuntime(io, { file: options.file, writes: options.writes }, async (runtime) => {
    const policy = runtime.context.policy;
    const context: DatabaseContext = {
      ...runtime.context,
      databases: databaseOpener(io.env),
      secrets: new SecretResolver(processSecretSource(io.env, dirname(policy.file))),
      files: localDatabaseFiles(),
      commands: shellCommandRunner(),
      backupRoot: join(runtime.home, 'backups'),
    };
    try {
      return await fn(context);
    } catch (error) {
      if (options.writes) await runtime.audit.seal(runtime.store).catch(() => undefined);
      throw error;
    }
  });
}

/** `--database NAME`, else every database component (that `keep` accepts). */
export function chosenDatabases(
  context: DatabaseContext,
  database: string | undefined,
  what: string,
  keep: (component: ReturnType<typeof databaseComponents>[number][1]) => boolean = () => true,
): string[] {
  if (database !== undefined) return [database];
  const names = databaseComponents(context.policy)
    .filter(([, component]) => keep(component))
    .map(([name]) => name);
  if (names.length === 0)
    throw invalidInput('NO_DATABASE', `the policy has no database component to ${what}`, {
      hint: 'add one under components with kind: database',
    });
  return names;
}

import { dirname, isAbsolute, resolve } from 'node:path';
import { EclusaError, invalidInput } from '../errors/eclusa-error.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { PolicyDocument } from '../policy/schema/policy-schema.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import type { GovernanceContext } from '../services/governance-context.js';
import type { CommandRunner } from './command-runner.js';
import type { Database, OpenDatabase } from './database.js';
import type { DatabaseFiles } from './database-files.js';

export type DatabaseComponent = Extract<PolicyDocument['components'][string], { kind: 'database' }>;

/** What the database services need besides the governance ports. */
export interface DatabaseContext extends GovernanceContext {
  readonly databases: OpenDatabase;
  /** Resolves `connection` references and remembers the values to redact. */
  readonly secrets: SecretResolver;
  readonly files: DatabaseFiles;
  readonly commands: CommandRunner;
  /** Where backups go when a component names no `backup.dir`: ECLUSA_HOME/backups. */
  readonly backupRoot: string;
  /** How long `migrate` waits for another runner's lock before refusing (default 10 s). */
  readonly migrationLockWaitMs?: number;
}

export function databaseComponents(policy: CompiledPolicy): [string, DatabaseComponent][] {
  return Object.entries(policy.components).filter(
    (entry): entry is [string, DatabaseComponent] => entry[1].kind === 'database',
  );
}

/** The database component called `name`, or an error listing the ones there are. */
export function requireDatabaseComponent(policy: CompiledPolicy, name: string): DatabaseComponent {
  const component = policy.components[name];
  if (component?.kind === 'database') return component;
  const known = databaseComponents(policy).map(([key]) => key);
  throw invalidInput(
    'UNKNOWN_DATABASE',
    component
      ? `component "${name}" is a ${component.kind}, not a database`
      : `the policy has no database component "${name}"`,
    {
      hint:
        known.length > 0
          ? `database components: ${known.join(', ')}`
          : 'add one under components with kind: database',
    },
  );
}

/** A folder written in the policy, relative to the policy file. */
export function policyRelative(policy: CompiledPolicy, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(policy.file), path);
}

/** Opens the component's database through its connection secret. */
export function openComponent(
  context: DatabaseContext,
  name: string,
  component: DatabaseComponent,
): Database {
  const connection = context.secrets.reference(
    component.connection,
    `components.${name}.connection`,
  );
  return context.databases(component.engine, connection);
}

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s@/]+@/gi;

/** Text with every resolved secret and any URL password blanked: fit for logs, records and errors. */
export function scrub(context: Pick<DatabaseContext, 'secrets'>, text: string): string {
  return context.secrets.redact(text).replace(URL_PASSWORD, '$1[redacted]@');
}

/** The same error with its message and hint scrubbed; unknown errors become `failed` ones. */
export function scrubbed(context: Pick<DatabaseContext, 'secrets'>, error: unknown): EclusaError {
  if (error instanceof EclusaError) {
    return new EclusaError(error.kind, error.code, scrub(context, error.message), {
      ...(error.hint === undefined ? {} : { hint: scrub(context, error.hint) }),
      retryable: error.retryable,
      details: error.details,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EclusaError('failed', 'DATABASE_ERROR', scrub(context, message));
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore } from '../../src/adapters/blobs/file-blob-store.js';
import { localDatabaseFiles } from '../../src/adapters/database/local/local-database-files.js';
import { databaseOpener } from '../../src/adapters/database/open-database.js';
import { shellCommandRunner } from '../../src/adapters/database/shell/shell-command-runner.js';
import { processSecretSource } from '../../src/adapters/secrets/process-secret-source.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { readAuditEvent } from '../../src/core/audit/audit-event.js';
import { seededSigner } from '../../src/core/audit/testing/seeded-signer.js';
import type { DatabaseContext } from '../../src/core/database/database-context.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';
import { SecretResolver } from '../../src/core/secrets/secret-resolver.js';
import type { Store } from '../../src/core/store/store.js';
import { FakeClock } from '../../src/core/time/clock.js';

/** A policy with one PostgreSQL database `db`, a DBA role and the three database gates. */
export function databasePolicy(
  options: { engine?: 'postgres' | 'mysql'; extra?: string } = {},
): string {
  return `
version: 1
project: { name: shop, owners: [olga] }
roles:
  dba: { members: [dora, dario] }
  ops: { members: [otto] }
components:
  api: { kind: service, artifact: { image: ghcr.io/acme/api } }
  db:
    kind: database
    engine: ${options.engine ?? 'postgres'}
    connection: env:APP_DATABASE_URL
    migrations: { tool: sql, dir: migrations, down: when-safe }
    backup: { retention: 2 }
${options.extra ?? ''}
environments:
  - name: staging
    tier: staging
  - name: production
    tier: production
    gates:
      backup: { database: db, maxAge: 1h }
      restoreDrill: { database: db, maxAge: 7d }
      drift: true
    rollback:
      actions:
        - { kind: restore-database, database: db, approval: dba }
`;
}

export interface DatabaseFixture {
  readonly home: string;
  readonly store: Store;
  readonly clock: FakeClock;
  readonly env: Record<string, string>;
  /** The services' context, acting as `actor` (default ana). */
  context(actor?: string): DatabaseContext;
  /** Every audit event's body, oldest first. */
  auditBodies(): Promise<string[]>;
  /** Writes a migration file into the policy's migrations folder. */
  migration(file: string, sql: string): void;
  close(): Promise<void>;
}

export const T0 = '2026-11-23T09:30:00.000Z';

/** A fresh home with the policy, a SQLite store and the real database adapters. */
export async function databaseFixture(
  policyText: string,
  env: Record<string, string>,
): Promise<DatabaseFixture> {
  const home = mkdtempSync(join(tmpdir(), 'eclusa-db-'));
  mkdirSync(join(home, 'migrations'));
  const policyFile = join(home, 'eclusa.yaml');
  writeFileSync(policyFile, policyText);
  const loaded = await loadPolicyFile(policyFile);
  if (!loaded.ok) throw new Error(`test policy invalid: ${JSON.stringify(loaded.errors)}`);
  const store = await openSqliteStore({ home });
  const clock = new FakeClock(T0);
  const audit = new AuditLog({ clock, signer: seededSigner('database-tests') });
  const fullEnv = { ...env };
  return {
    home,
    store,
    clock,
    env: fullEnv,
    context: (actor = 'ana') => ({
      store,
      policy: loaded.policy,
      clock,
      actor: { id: actor, authenticated: false },
      audit,
      blobs: fileBlobStore(home),
      databases: databaseOpener(fullEnv),
      secrets: new SecretResolver(processSecretSource(fullEnv, home)),
      files: localDatabaseFiles(),
      commands: shellCommandRunner(),
      backupRoot: join(home, 'backups'),
      migrationLockWaitMs: 300,
    }),
    auditBodies: () =>
      store.read(async (reader) =>
        (await reader.auditEvents(1, 10_000)).map((event) => JSON.stringify(readAuditEvent(event))),
      ),
    migration: (file, sql) => writeFileSync(join(home, 'migrations', file), sql),
    close: async () => {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (a test failure when it resolves). */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; hint: string; kind: string }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as { code: string; message: string; hint: string; kind: string },
  );
  if (outcome === undefined) throw new Error('expected a failure, got success');
  return outcome;
}

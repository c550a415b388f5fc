import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileBlobStore } from '../adapters/blobs/file-blob-store.js';
import { fileCheckpointAnchor } from '../adapters/keys/file-checkpoint-anchor.js';
import { loadSigner } from '../adapters/keys/file-signer.js';
import { openStore } from '../adapters/store/open-store.js';
import { AuditLog } from '../core/audit/audit-log.js';
import type { CheckpointAnchor } from '../core/audit/checkpoint-anchor.js';
import type { Signer } from '../core/audit/signer.js';
import type { CompiledPolicy } from '../core/policy/compiled-policy.js';
import type { GovernanceContext } from '../core/services/governance-context.js';
import type { Store } from '../core/store/store.js';
import { systemClock, type Clock } from '../core/time/clock.js';
import type { CliIo } from './cli-io.js';
import { requirePolicy } from './policy-file.js';

export interface Runtime {
  readonly context: GovernanceContext;
  readonly audit: AuditLog;
  readonly store: Store;
  readonly home: string;
}

/** ECLUSA_HOME, resolved against the working directory (default ./.eclusa). */
export function eclusaHome(io: CliIo): string {
  const home = io.env['ECLUSA_HOME'] ?? '.eclusa';
  return isAbsolute(home) ? home : resolve(io.cwd, home);
}

/** ECLUSA_ACTOR, else the OS user: a name claimed in local mode, so recorded as unauthenticated. */
export function localActor(io: CliIo): string {
  const name = io.env['ECLUSA_ACTOR']?.trim();
  if (name) return name;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Opens the store, the signing key and the audit log; for commands that use the policy too. */
export async function withRuntime<T>(
  io: CliIo,
  options: { file?: string; writes: boolean; clock?: Clock },
  fn: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const policy: CompiledPolicy = await requirePolicy(io, options.file);
  return withStore(io, options, ({ store, audit, home }) =>
    fn({
      store,
      audit,
      home,
      context: {
        store,
        policy,
        clock: options.clock ?? io.clock ?? systemClock,
        actor: { id: localActor(io), authenticated: false },
        audit,
        blobs: fileBlobStore(home),
        sqlParser: async () => {
          const { createLibpgQueryParser } =
            await import('../adapters/sql/libpg-query/libpg-query-parser.js');
          return createLibpgQueryParser();
        },
      },
    }),
  );
}

/** What every store-backed command gets, opened once: audit commands use the signer and anchor too. */
export interface StoreSession {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly home: string;
  readonly signer: Signer;
  readonly anchor: CheckpointAnchor;
}

/** The store and audit log alone (audit commands work without a policy). */
export async function withStore<T>(
  io: CliIo,
  options: { writes: boolean; clock?: Clock },
  fn: (session: StoreSession) => Promise<T>,
): Promise<T> {
  const home = eclusaHome(io);
  const databaseUrl = io.env['ECLUSA_DATABASE_URL'];
  const store = await openStore({ home, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    const signer = await loadSigner({ home, env: io.env });
    const anchor = fileCheckpointAnchor(home);
    const audit = new AuditLog({ clock: options.clock ?? io.clock ?? systemClock, signer, anchor });
    const result = await fn({ store, audit, home, signer, anchor });
    // Every command that changed state ends with a signed checkpoint of the head.
    if (options.writes) await audit.seal(store);
    return result;
  } finally {
    await store.close();
  }
}

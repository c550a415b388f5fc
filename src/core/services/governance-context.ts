import type { AuditActor, AuditEventInput } from '../audit/audit-event.js';
import { invalidInput } from '../errors/eclusa-error.js';
import type { SqlParser } from '../migrations/sql-parser.js';
import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import type { ReleaseRecord } from '../store/records.js';
import type { Store, StoreReader, StoreWriter } from '../store/store.js';
import type { Clock } from '../time/clock.js';

/** Appends audit events inside a write transaction (the audit log's narrow face). */
export interface AuditAppender {
  append(writer: StoreWriter, input: AuditEventInput): Promise<unknown>;
}

/** Content-addressed files beside the store: evidence uploaded by CI. */
export interface BlobStore {
  /** Stores the bytes once under their SHA-256; returns the lowercase hex digest. */
  put(content: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer | undefined>;
}

/** What every governance service needs: ports, the policy, the time and who is acting. */
export interface GovernanceContext {
  readonly store: Store;
  readonly policy: CompiledPolicy;
  readonly clock: Clock;
  readonly actor: AuditActor;
  readonly audit: AuditAppender;
  readonly blobs: BlobStore;
  /** Loads the SQL parser the migration-lint gate needs (a WebAssembly module: only on demand). */
  readonly sqlParser?: () => Promise<SqlParser>;
}

export function requireEnvironment(policy: CompiledPolicy, name: string): CompiledEnvironment {
  const environment = policy.environments.find((e) => e.name === name);
  if (environment) return environment;
  throw invalidInput('UNKNOWN_ENVIRONMENT', `environment "${name}" is not in the policy`, {
    hint: `known environments: ${policy.environments.map((e) => e.name).join(', ')}`,
  });
}

export async function requireRelease(reader: StoreReader, version: string): Promise<ReleaseRecord> {
  const release = await reader.getRelease(version);
  if (release) return release;
  const known = (await reader.listReleases()).slice(0, 10).map((r) => r.version);
  throw invalidInput('UNKNOWN_RELEASE', `release ${version} does not exist`, {
    hint:
      known.length > 0
        ? `known releases (newest first): ${known.join(', ')}`
        : 'create it with `eclusa release create`',
  });
}

export function nowIso(context: GovernanceContext): string {
  return context.clock.now().toISOString();
}

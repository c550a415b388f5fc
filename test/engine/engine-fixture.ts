import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { MetricsSource } from '../../src/core/analysis/metrics-source.js';
import type { Signer } from '../../src/core/audit/signer.js';
import { seededSigner } from '../../src/core/audit/testing/seeded-signer.js';
import { DeploymentRunner, type RunnerEvent } from '../../src/core/engine/deployment-runner.js';
import { ENGINE_EXECUTORS } from '../../src/core/engine/step-executors.js';
import type { EnginePorts } from '../../src/core/engine/step-executor.js';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { createDeployment } from '../../src/core/services/deployment-service.js';
import type { GovernanceContext } from '../../src/core/services/governance-context.js';
import { createRelease } from '../../src/core/services/release-service.js';
import type { Store } from '../../src/core/store/store.js';
import { FakeClock } from '../../src/core/time/clock.js';
import { MemoryWorld } from './memory-ports.js';

export const BLUE_GREEN_POLICY = `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: process, command: "node app.js", healthPath: /health }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy: { type: blue-green }
    router: { type: builtin, listen: 18080 }
    verify:
      health: { type: http, url: "{url}/health" }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: verify, against: new }
      - { kind: rollout }
      - { kind: verify, checks: [health], against: production, id: verify-production }
`;

export interface EngineFixture {
  readonly store: Store;
  readonly clock: FakeClock;
  readonly world: MemoryWorld;
  readonly policy: CompiledPolicy;
  readonly events: RunnerEvent[];
  readonly signer: Signer;
  seal(): Promise<void>;
  context(actor: string): GovernanceContext;
  runner(owner?: string): DeploymentRunner;
  release(version: string): Promise<void>;
  deploy(version: string, actor?: string): Promise<string>;
  close(): Promise<void>;
}

export async function engineFixture(
  policyText = BLUE_GREEN_POLICY,
  options: {
    metrics?: (clock: FakeClock) => MetricsSource;
    /** Real adapters in place of the in-memory ones, e.g. a target. */
    ports?: Partial<EnginePorts>;
  } = {},
): Promise<EngineFixture> {
  const home = mkdtempSync(join(tmpdir(), 'eclusa-engine-'));
  const store = await openSqliteStore({ home });
  const clock = new FakeClock('2026-11-23T10:00:00Z');
  const signer = seededSigner('engine');
  const audit = new AuditLog({ clock, signer });
  const loaded = validatePolicyText('eclusa.yaml', policyText);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const policy = loaded.policy;
  const world = new MemoryWorld();
  const events: RunnerEvent[] = [];
  const context = (actor: string): GovernanceContext => ({
    store,
    policy,
    clock,
    actor: { id: actor, authenticated: false },
    audit,
    blobs: { put: () => Promise.resolve(''), get: () => Promise.resolve(undefined) },
  });
  const source = options.metrics?.(clock);
  const ports = {
    ...world.ports(),
    ...(source ? { metrics: () => source } : {}),
    ...options.ports,
  };
  const fixture: EngineFixture = {
    store,
    clock,
    world,
    policy,
    events,
    signer,
    seal: async () => {
      await audit.seal(store);
    },
    context,
    runner: (owner = 'engine-1') =>
      new DeploymentRunner({
        store,
        audit,
        clock,
        policy,
        ports: () => ports,
        executors: ENGINE_EXECUTORS,
        owner,
        leaseMs: 60_000,
        sleep: (ms) => {
          clock.advance(ms);
          return Promise.resolve();
        },
        onEvent: (e) => events.push(e),
      }),
    release: async (version) => {
      await createRelease(context('ci'), {
        version,
        commit: 'abcdef1',
        artifacts: [
          `api=ghcr.io/acme/api:${version}@sha256:${version.replaceAll('.', '').padEnd(64, 'a')}`,
        ],
      });
    },
    deploy: async (version, actor = 'bruno') =>
      (await createDeployment(context(actor), { release: version, environment: 'production' })).id,
    close: async () => {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return fixture;
}

// bench/engine: the engine's own overhead per step. 1,000 deployments of a 10-step no-op
// plan across 100 environments on the embedded SQLite store; every step's start and end
// are persisted with their audit events, as in a real deployment. The steps act on nothing
// (a command runner that returns at once), so what is timed is the engine itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { seededSigner } from '../../src/core/audit/testing/seeded-signer.js';
import { DeploymentRunner } from '../../src/core/engine/deployment-runner.js';
import type { EnginePorts } from '../../src/core/engine/step-executor.js';
import { ENGINE_EXECUTORS } from '../../src/core/engine/step-executors.js';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';
import { SecretResolver } from '../../src/core/secrets/secret-resolver.js';
import { createDeployment } from '../../src/core/services/deployment-service.js';
import type { GovernanceContext } from '../../src/core/services/governance-context.js';
import { createRelease } from '../../src/core/services/release-service.js';
import { systemClock } from '../../src/core/time/clock.js';

const DEPLOYMENTS = Number(process.env['BENCH_DEPLOYMENTS'] ?? 1000);
const ENVIRONMENTS = Number(process.env['BENCH_ENVIRONMENTS'] ?? 100);
const STEPS = 10;

const steps = Array.from(
  { length: STEPS },
  (_, i) => `      - { kind: command, run: "true", id: step-${i + 1} }`,
).join('\n');
const environments = Array.from(
  { length: ENVIRONMENTS },
  (_, i) =>
    `  - name: env-${i}\n    tier: development\n    promotion: { from: none }\n    pipeline:\n${steps}`,
).join('\n');
const policyText = `version: 1\nproject: { name: bench, owners: [ana] }\ncomponents:\n  api: { kind: service, artifact: { image: ghcr.io/acme/api } }\nenvironments:\n${environments}\n`;

const loaded = validatePolicyText('eclusa.yaml', policyText);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors.slice(0, 3)));
const policy = loaded.policy;
const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-engine-'));
const store = await openSqliteStore({ home });
const audit = new AuditLog({ clock: systemClock, signer: seededSigner('bench') });
const context: GovernanceContext = {
  store,
  policy,
  clock: systemClock,
  actor: { id: 'bench', authenticated: false },
  audit,
  blobs: { put: () => Promise.resolve(''), get: () => Promise.resolve(undefined) },
};
const ports: EnginePorts = {
  targetFor: () => undefined,
  router: () => undefined,
  verifier: { run: () => Promise.reject(new Error('unused')) },
  commands: {
    run: () =>
      Promise.resolve({
        exitCode: 0,
        signal: null,
        timedOut: false,
        aborted: false,
        stdout: '',
        tail: [],
        durationMs: 0,
      }),
  },
  baseEnv: {},
  notifier: { send: () => Promise.resolve({ delivered: true, detail: '' }) },
  secrets: new SecretResolver({ env: () => undefined, file: () => undefined }),
  policyDir: home,
};
const stepMs: number[] = [];
// A step's cost runs from the end of the previous one (or the claim) to its own end, so it
// holds both of its store writes, the state read and the executor call.
let mark = 0;
const runner = new DeploymentRunner({
  store,
  audit,
  clock: systemClock,
  policy,
  ports: () => ports,
  executors: ENGINE_EXECUTORS,
  owner: 'bench',
  leaseMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  onEvent: (event) => {
    if (event.kind === 'step-finished') {
      const now = performance.now();
      stepMs.push(now - mark);
      mark = now;
    }
  },
});

try {
  const versions = Math.ceil(DEPLOYMENTS / ENVIRONMENTS);
  for (let v = 0; v < versions; v++) {
    await createRelease(context, {
      version: `1.0.${v}`,
      commit: 'abcdef1',
      artifacts: [`api=ghcr.io/acme/api@sha256:${String(v).padStart(64, '0')}`],
    });
  }
  const wall = performance.now();
  const perDeployment: number[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const t0 = performance.now();
    const { id } = await createDeployment(context, {
      release: `1.0.${Math.floor(d / ENVIRONMENTS)}`,
      environment: `env-${d % ENVIRONMENTS}`,
    });
    mark = performance.now();
    const result = await runner.drive(id);
    if (result.kind !== 'finished' || result.state.status !== 'succeeded')
      throw new Error(`deployment ${id} ended ${JSON.stringify(result)}`);
    perDeployment.push(performance.now() - t0);
  }
  const total = performance.now() - wall;
  await audit.seal(store);
  const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
  const pct = (xs: number[], p: number): number =>
    sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  const events = await store.read((r) => r.auditCount());
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  console.log(
    `deployments: ${DEPLOYMENTS} across ${ENVIRONMENTS} environments, ${STEPS} no-op steps each (SQLite, ${home})`,
  );
  console.log(
    `engine overhead per step (read state, store start, act, store end; audit included): median ${pct(stepMs, 50).toFixed(2)} ms, p90 ${pct(stepMs, 90).toFixed(2)} ms, p99 ${pct(stepMs, 99).toFixed(2)} ms`,
  );
  console.log(
    `per deployment (create behind the gates + claim + ${STEPS} steps + finish): median ${pct(perDeployment, 50).toFixed(1)} ms, p90 ${pct(perDeployment, 90).toFixed(1)} ms`,
  );
  console.log(`total ${(total / 1000).toFixed(1)} s, ${events} audit events`);
  console.log(`target: median per step < 5 ms — ${pct(stepMs, 50) < 5 ? 'met' : 'NOT met'}`);
} finally {
  await store.close();
  rmSync(home, { recursive: true, force: true });
}

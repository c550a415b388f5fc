import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ShellCommandRunner } from '../adapters/command/shell/shell-command-runner.js';
import { createMetricsSource } from '../adapters/metrics/create-metrics-source.js';
import { haproxyStatsOf } from '../adapters/router/create-router.js';
import type { MetricsSource } from '../core/analysis/metrics-source.js';
import { systemClock } from '../core/time/clock.js';
import { essentialEnvironment } from '../adapters/target/target-environment.js';
import { policyNotifier } from '../adapters/notify/policy-notifier.js';
import { processSecretSource } from '../adapters/secrets/process-secret-source.js';
import {
  DeploymentRunner,
  type CrashPoint,
  type RunnerEvent,
} from '../core/engine/deployment-runner.js';
import { ENGINE_EXECUTORS } from '../core/engine/step-executors.js';
import type { EnginePorts } from '../core/engine/step-executor.js';
import type { CompiledPolicy } from '../core/policy/compiled-policy.js';
import { SecretResolver } from '../core/secrets/secret-resolver.js';
import type { Store } from '../core/store/store.js';
import type { CliIo } from './cli-io.js';
import { engineAdapters } from './engine-adapters.js';
import { policyVerifier } from './policy-verifier.js';
import type { Runtime } from './governance-runtime.js';
import { databaseSteps } from './database-steps.js';
import type { GovernanceContext } from '../core/services/governance-context.js';

const DEFAULT_LEASE_MS = 15_000;

/** The ports of one environment, built from the policy's targets and router. */
export function enginePorts(
  io: CliIo,
  home: string,
  policy: CompiledPolicy,
  environment: string,
  context?: GovernanceContext,
): EnginePorts {
  const policyDir = dirname(policy.file);
  const secrets = new SecretResolver(processSecretSource(io.env, policyDir));
  const adapters = engineAdapters({
    home,
    policy,
    policyDir,
    environment,
    secrets,
    env: io.env,
    verifier: policyVerifier(secrets, policyDir, io.env),
  });
  const sources = new Map<string, MetricsSource>();
  return {
    metrics: (name) => {
      const analysis = policy.analyses?.[name];
      if (!analysis) return undefined;
      let source = sources.get(name);
      if (!source) {
        // `source: haproxy` reads the environment's own HAProxy, through the router's socket.
        const haproxy = haproxyStatsOf(
          policy.environments.find((e) => e.name === environment)?.router,
          { home, environment },
        );
        source = createMetricsSource(name, analysis, {
          clock: systemClock,
          ...(haproxy ? { haproxy } : {}),
        });
        sources.set(name, source);
      }
      return source;
    },
    ...(context ? { databases: databaseSteps(io, home, context, environment) } : {}),
    targetFor: adapters.targetFor,
    router: adapters.router,
    verifier: adapters.verifier,
    commands: new ShellCommandRunner(),
    baseEnv: essentialEnvironment(io.env),
    notifier: policyNotifier(policy, secrets),
    secrets,
    policyDir,
  };
}

/** Test hook: `ECLUSA_FAULT_KILL_AT=STEP:POINT` kills this process there, as kill -9 would. */
function crashHook(io: CliIo): ((point: CrashPoint, step: string) => void) | undefined {
  const spec = io.env['ECLUSA_FAULT_KILL_AT'];
  if (!spec) return undefined;
  return (point, step) => {
    if (spec === `${step}:${point}`) process.kill(process.pid, 'SIGKILL');
  };
}

export function createRunner(
  io: CliIo,
  runtime: Runtime,
  onEvent?: (event: RunnerEvent) => void,
): DeploymentRunner {
  const ports = new Map<string, EnginePorts>();
  const leaseMs = Number(io.env['ECLUSA_LEASE_MS'] ?? DEFAULT_LEASE_MS);
  const hook = crashHook(io);
  return new DeploymentRunner({
    store: runtime.store,
    audit: runtime.audit,
    clock: runtime.context.clock,
    policy: runtime.context.policy,
    ports: (environment) => {
      let built = ports.get(environment);
      if (!built) {
        built = enginePorts(io, runtime.home, runtime.context.policy, environment, runtime.context);
        ports.set(environment, built);
      }
      return built;
    },
    executors: ENGINE_EXECUTORS,
    owner: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    leaseMs: Number.isFinite(leaseMs) && leaseMs > 0 ? leaseMs : DEFAULT_LEASE_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...(onEvent ? { onEvent } : {}),
    ...(hook ? { onCrashPoint: hook } : {}),
  });
}

/** Starts `eclusa deployment run ID` detached, its output in ECLUSA_HOME/logs/ID.log. */
export function spawnWorker(io: CliIo, home: string, id: string, policyFile: string): string {
  const logs = join(home, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `${id}.log`);
  const fd = openSync(log, 'a');
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot find the eclusa script to start a worker');
  const child = spawn(process.execPath, [script, 'deployment', 'run', id, '--file', policyFile], {
    cwd: io.cwd,
    env: io.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  child.unref();
  return log;
}

/**
 * Takes over runs nobody drives: active deployments whose lease has expired (their process
 * died) get a new worker. Called by commands that touch deployments.
 */
export async function adoptOrphans(
  io: CliIo,
  store: Store,
  home: string,
  policyFile: string,
  now: Date,
): Promise<string[]> {
  const runs = await store.read((r) => r.listActiveDeploymentRuns());
  const heads = new Map<string, string>();
  for (const run of runs)
    if (!heads.has(run.environment)) heads.set(run.environment, run.deploymentId);
  const adopted: string[] = [];
  for (const run of runs) {
    if (heads.get(run.environment) !== run.deploymentId) continue;
    const expired =
      run.leaseExpiresAt === undefined || Date.parse(run.leaseExpiresAt) <= now.getTime();
    const state = JSON.parse(run.state) as { status: string; control?: { pause?: unknown } };
    if (!expired || (state.status === 'paused' && state.control?.pause)) continue;
    spawnWorker(io, home, run.deploymentId, policyFile);
    adopted.push(run.deploymentId);
  }
  return adopted;
}

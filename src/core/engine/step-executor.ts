import type { MetricsSource } from '../analysis/metrics-source.js';
import type { CommandRunner } from '../command/command-runner.js';
import type { CompiledEnvironment, CompiledPolicy } from '../policy/compiled-policy.js';
import type { Plan, PlanStep } from '../plan/plan.js';
import type { TrafficRouter } from '../router/traffic-router.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import type { DeploymentRecord, ReleaseRecord } from '../store/records.js';
import type { StoreReader } from '../store/store.js';
import type { Target } from '../target/target.js';
import type { Clock } from '../time/clock.js';
import type { VerificationResult, VerificationTarget } from '../verify/verification.js';
import type { EnvironmentState } from './environment-state.js';
import type { RunState, StepState } from './run-state.js';

/** What a step's act produced. `wait` asks to be called again at `until` (a durable timer). */
export type StepOutcome =
  | { readonly kind: 'succeeded'; readonly output?: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'failed';
      readonly error: string;
      readonly output?: Readonly<Record<string, unknown>>;
      /** Which rollback trigger this failure is (default step-failed). */
      readonly trigger?: 'verification-failed' | 'analysis-failed' | 'monitoring-failed';
    }
  | { readonly kind: 'skipped'; readonly reason: string }
  | {
      readonly kind: 'wait';
      readonly until: string;
      readonly reason: string;
      readonly output?: Readonly<Record<string, unknown>>;
    };

export type VerificationCheck = NonNullable<CompiledEnvironment['verify']>[string];

/** Runs one named verification; adapters do the I/O (HTTP, commands). */
export interface Verifier {
  run(
    name: string,
    check: VerificationCheck,
    target: VerificationTarget,
    signal: AbortSignal,
  ): Promise<VerificationResult>;
}

/** Delivers a message to a channel of the policy (Slack, webhook, e-mail). */
export interface Notifier {
  send(
    channel: string,
    message: string,
    signal: AbortSignal,
  ): Promise<{ readonly delivered: boolean; readonly detail: string }>;
}

/** Backups and migrations of the policy's databases, for one deployment (idempotent per deployment). */
export interface DatabaseSteps {
  backup(
    database: string,
    deploymentId: string,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
  migrate(
    database: string,
    deploymentId: string,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
  /** Reverts exactly what this deployment applied. */
  migrateDown(
    database: string,
    deploymentId: string,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
}

/** The side effects a step may have, all through ports. */
export interface EnginePorts {
  targetFor(component: string): Target | undefined;
  /** The environment's router; undefined when the policy configures none. */
  router(): TrafficRouter | undefined;
  readonly verifier: Verifier;
  readonly commands: CommandRunner;
  /** What commands of the policy inherit from eclusa's environment (PATH, HOME …; no credentials). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly notifier: Notifier;
  readonly databases?: DatabaseSteps;
  /** The metrics source of a named analysis (one per analysis, kept while the engine runs). */
  readonly metrics?: (analysis: string) => MetricsSource | undefined;
  readonly secrets: SecretResolver;
  /** Where relative paths of the policy (cwd of commands) start. */
  readonly policyDir: string;
}

/** Everything a step executor sees. It reads; the runner persists what it returns. */
export interface StepContext {
  readonly step: PlanStep;
  readonly state: StepState;
  readonly run: RunState;
  readonly plan: Plan;
  readonly deployment: DeploymentRecord;
  readonly release: ReleaseRecord;
  readonly policy: CompiledPolicy;
  readonly environment: CompiledEnvironment;
  readonly clock: Clock;
  readonly ports: EnginePorts;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  /** Reads the environment's state, changes it and stores it (one transaction, audited). */
  updateEnvironment(
    change: (state: EnvironmentState) => EnvironmentState,
  ): Promise<EnvironmentState>;
  environmentState(): Promise<EnvironmentState>;
}

export type StepExecutor = (context: StepContext) => Promise<StepOutcome>;

import type { AuditActor } from '../audit/audit-event.js';
import { EclusaError } from '../errors/eclusa-error.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { PlanStep } from '../plan/plan.js';
import type { AuditAppender } from '../services/governance-context.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { describeComponents } from './describe-components.js';
import {
  RunPersistence,
  auditData,
  loadRun,
  LeaseLost,
  type LoadedRun,
} from './run-persistence.js';
import { currentSteps, isTerminal, nextStep, type RunState, type StepState } from './run-state.js';
import type { RunEvent } from './run-transitions.js';
import type { ExecutorTable } from './step-executors.js';
import type { EnginePorts } from './step-executor.js';
import { executeStep } from './execute-step.js';
import { environmentStore } from './environment-store.js';
import { stepsSkippedByFullPromote } from './full-promote.js';
import { retireExpiredSlots } from './retire-slots.js';

/** What the runner tells whoever watches (the CLI's progress lines). */
export type RunnerEvent =
  | { readonly kind: 'step-started'; readonly step: StepState; readonly phase: string }
  | { readonly kind: 'step-finished'; readonly step: StepState; readonly phase: string }
  | { readonly kind: 'step-waiting'; readonly step: StepState }
  | { readonly kind: 'log'; readonly step: string; readonly line: string }
  | { readonly kind: 'rollback-started'; readonly reason: string }
  | { readonly kind: 'incident-opened'; readonly incident: IncidentRecord }
  | { readonly kind: 'finished'; readonly state: RunState };

/** Where a crash test may stop the process: after the start is stored, after the act, after the end is stored. */
export type CrashPoint = 'started' | 'acted' | 'finished';

export interface RunnerOptions {
  readonly store: Store;
  readonly audit: AuditAppender;
  readonly clock: Clock;
  readonly policy: CompiledPolicy;
  /** Ports for one environment (its router, its targets …). */
  readonly ports: (environment: string) => EnginePorts;
  readonly executors: ExecutorTable;
  /** Who runs: unique per process, e.g. `host:pid:random`. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Waits; real time in the CLI, the fake clock's in tests. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly onEvent?: (event: RunnerEvent) => void;
  readonly onCrashPoint?: (point: CrashPoint, step: string) => void;
}

export type DriveResult =
  | { readonly kind: 'finished'; readonly state: RunState }
  | { readonly kind: 'queued'; readonly behind: string }
  | { readonly kind: 'busy'; readonly owner: string; readonly until: string }
  | { readonly kind: 'paused' };

const WAIT_SLICE_MS = 1_000;

/**
 * Runs deployments durably. Each step's start and end are stored (with an audit event)
 * before and after it acts, under a lease renewed by a heartbeat; whoever finds the lease
 * expired continues from the stored state. Steps are written "check, then act", so a step
 * that was running when its process died is simply run again.
 */
export class DeploymentRunner {
  private readonly persistence: RunPersistence;
  private readonly actor: AuditActor;

  constructor(private readonly options: RunnerOptions) {
    this.actor = { id: `eclusa-engine:${options.owner}`, authenticated: false };
    this.persistence = new RunPersistence(
      options.store,
      options.audit,
      options.clock,
      this.actor,
      options.policy.incidents,
    );
  }

  /** Takes the lease (when free or expired) and runs until the end, a pause, or someone else's turn. */
  async drive(id: string): Promise<DriveResult> {
    const claim = await this.claim(id);
    if (claim.kind !== 'claimed') return claim.result;
    const heartbeat = setInterval(
      () => {
        this.renew(id).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      return await this.loop(claim.run);
    } catch (error) {
      if (error instanceof LeaseLost) {
        const run = await this.options.store.read((r) => r.getDeploymentRun(id));
        return {
          kind: 'busy',
          owner: run?.leaseOwner ?? 'unknown',
          until: run?.leaseExpiresAt ?? '',
        };
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      await this.release(id).catch(() => undefined);
    }
  }

  private leaseUntil(): string {
    return new Date(this.options.clock.now().getTime() + this.options.leaseMs).toISOString();
  }

  private async claim(
    id: string,
  ): Promise<{ kind: 'claimed'; run: LoadedRun } | { kind: 'not'; result: DriveResult }> {
    const { store, clock, owner } = this.options;
    return store.write(async (writer) => {
      const run = await loadRun(writer, id);
      if (!run)
        throw new EclusaError('invalid-input', 'UNKNOWN_DEPLOYMENT', `no deployment ${id}`, {
          hint: 'list them with eclusa status',
        });
      if (isTerminal(run.state.status))
        return { kind: 'not', result: { kind: 'finished', state: run.state } };
      const head = (
        await writer.listActiveDeploymentRuns({ environment: run.record.environment })
      )[0];
      if (head && head.deploymentId !== id)
        return { kind: 'not', result: { kind: 'queued', behind: head.deploymentId } };
      const holder = run.record.leaseOwner;
      const expires = run.record.leaseExpiresAt;
      if (
        holder !== undefined &&
        holder !== owner &&
        expires !== undefined &&
        Date.parse(expires) > clock.now().getTime()
      ) {
        return { kind: 'not', result: { kind: 'busy', owner: holder, until: expires } };
      }
      if (run.state.status === 'paused' && run.state.control.pause)
        return { kind: 'not', result: { kind: 'paused' } };
      const at = clock.now().toISOString();
      const events: RunEvent[] = run.state.status === 'queued' ? [{ kind: 'started', at }] : [];
      if (run.state.status === 'paused') events.push({ kind: 'resumed', at });
      const audits =
        run.state.status === 'queued'
          ? [{ kind: 'deployment.started', data: { owner } }]
          : holder !== undefined && holder !== owner
            ? [
                {
                  kind: 'deployment.lease.taken',
                  data: { owner, previousOwner: holder, expiredAt: expires ?? null },
                },
              ]
            : [{ kind: 'deployment.resumed', data: { owner } }];
      const next = await this.persistence.write(writer, run, events, audits, {
        owner,
        expiresAt: this.leaseUntil(),
      });
      return { kind: 'claimed', run: next };
    });
  }

  private async renew(id: string): Promise<void> {
    await this.options.store.write(async (writer) => {
      const run = await loadRun(writer, id);
      if (!run || run.record.leaseOwner !== this.options.owner) return;
      await this.persistence.write(writer, run, [], [], {
        owner: this.options.owner,
        expiresAt: this.leaseUntil(),
      });
    });
  }

  private async release(id: string): Promise<void> {
    await this.options.store.write(async (writer) => {
      const run = await loadRun(writer, id);
      if (!run || run.record.leaseOwner !== this.options.owner) return;
      await this.persistence.write(writer, run, [], [], {});
    });
  }

  private change(
    run: LoadedRun,
    events: RunEvent[],
    audits: { kind: string; data: Record<string, never> | Record<string, unknown> }[],
  ): Promise<LoadedRun> {
    return this.persistence.change(
      run.deployment.id,
      this.options.owner,
      events,
      audits.map((a) => ({ kind: a.kind, data: auditData(a.data) })),
    );
  }

  private async loop(initial: LoadedRun): Promise<DriveResult> {
    const { clock } = this.options;
    let run = initial;
    for (;;) {
      run = (await this.options.store.read((r) => loadRun(r, run.deployment.id))) ?? run;
      if (run.record.leaseOwner !== this.options.owner)
        throw new LeaseLost(run.deployment.id, run.record.leaseOwner);
      const control = run.state.control;
      const at = clock.now().toISOString();
      if ((control.abort || control.rollback) && run.state.phase === 'deploy') {
        const request = control.abort ?? control.rollback!;
        run = await this.change(
          run,
          [{ kind: 'rollback-started', trigger: 'manual', message: request.reason, at }],
          [
            {
              kind: 'deployment.rollback.started',
              data: { trigger: 'manual', by: request.by, reason: request.reason },
            },
          ],
        );
        this.options.onEvent?.({
          kind: 'rollback-started',
          reason: `${request.by}: ${request.reason}`,
        });
        await this.tellIncident(run.deployment.id);
        continue;
      }
      if (control.pause && run.state.status === 'running') {
        await this.change(
          run,
          [{ kind: 'paused', at }],
          [{ kind: 'deployment.paused', data: { by: control.pause.by } }],
        );
        return { kind: 'paused' };
      }
      const skipped = stepsSkippedByFullPromote(run.plan, run.state);
      if (skipped.length > 0) {
        const by = run.state.control.promotes?.find((p) => p.full)?.by;
        const why = by ? `promoted --full by ${by}` : 'first release: nothing to compare with';
        run = await this.change(
          run,
          skipped.map((step) => ({
            kind: 'step-finished',
            step,
            status: 'skipped',
            at,
            output: { skipped: `promoted --full by ${by}` },
          })),
          [{ kind: 'deployment.promoted.full', data: { by: by ?? null, reason: why, skipped } }],
        );
        continue;
      }
      const step = nextStep(run.state);
      if (!step) return this.finish(run);
      if (
        step.status === 'running' &&
        step.wakeAt &&
        Date.parse(step.wakeAt) > clock.now().getTime()
      ) {
        await this.options.sleep(
          Math.min(WAIT_SLICE_MS, Date.parse(step.wakeAt) - clock.now().getTime()),
        );
        continue;
      }
      run = await this.runStep(run, step);
      if (isTerminal(run.state.status)) return this.finish(run);
    }
  }

  private planStep(run: LoadedRun, id: string): PlanStep {
    const steps = run.state.phase === 'deploy' ? run.plan.steps : run.plan.rollback.steps;
    const step = steps.find((s) => s.id === id);
    if (!step)
      throw new EclusaError(
        'internal',
        'PLAN_STEP_MISSING',
        `step ${id} is not in the plan of ${run.deployment.id}`,
      );
    return step;
  }

  private async runStep(run: LoadedRun, step: StepState): Promise<LoadedRun> {
    const { clock, onEvent, onCrashPoint } = this.options;
    const planStep = this.planStep(run, step.id);
    const phase = run.state.phase;
    const resuming = step.status === 'running' && step.wakeAt !== undefined;
    if (!resuming) {
      run = await this.change(
        run,
        [{ kind: 'step-started', step: step.id, at: clock.now().toISOString() }],
        [
          {
            kind: 'deployment.step.started',
            data: { step: step.id, stepKind: step.kind, phase, attempt: step.attempt + 1 },
          },
        ],
      );
      const started = currentSteps(run.state).find((s) => s.id === step.id)!;
      onEvent?.({ kind: 'step-started', step: started, phase });
      onCrashPoint?.('started', step.id);
    }
    const outcome = await executeStep(this.options, this.actor, run, planStep);
    onCrashPoint?.('acted', step.id);
    const at = clock.now().toISOString();
    if (outcome.kind === 'wait') {
      const changed =
        currentSteps(run.state).find((s) => s.id === step.id)?.waiting !== outcome.reason;
      run = await this.change(
        run,
        [
          {
            kind: 'step-waiting',
            step: step.id,
            until: outcome.until,
            reason: outcome.reason,
            ...(outcome.output ? { output: outcome.output } : {}),
          },
        ],
        changed
          ? [
              {
                kind: 'deployment.step.waiting',
                data: { step: step.id, until: outcome.until, reason: outcome.reason },
              },
            ]
          : [],
      );
      if (changed)
        onEvent?.({
          kind: 'step-waiting',
          step: currentSteps(run.state).find((s) => s.id === step.id)!,
        });
      return run;
    }
    const status = outcome.kind;
    const events: RunEvent[] = [
      {
        kind: 'step-finished',
        step: step.id,
        status,
        at,
        ...(outcome.kind === 'succeeded' && outcome.output ? { output: outcome.output } : {}),
        ...(outcome.kind === 'failed' && outcome.output ? { output: outcome.output } : {}),
        ...(outcome.kind === 'failed' ? { error: outcome.error } : {}),
        ...(outcome.kind === 'skipped' ? { output: { skipped: outcome.reason } } : {}),
      },
    ];
    const audits: { kind: string; data: Record<string, unknown> }[] = [
      {
        kind: 'deployment.step.finished',
        data: {
          step: step.id,
          stepKind: step.kind,
          phase,
          status,
          ...(outcome.kind === 'failed' ? { error: outcome.error } : {}),
          ...(outcome.kind === 'skipped' ? { reason: outcome.reason } : {}),
          ...(outcome.kind !== 'skipped' && outcome.output ? { output: outcome.output } : {}),
        },
      },
    ];
    if (outcome.kind === 'failed' && !planStep.continueOnError) {
      const trigger = outcome.trigger ?? 'step-failed';
      if (
        phase === 'deploy' &&
        run.plan.rollback.automatic &&
        run.plan.rollback.triggers.includes(trigger)
      ) {
        events.push({
          kind: 'rollback-started',
          trigger,
          step: step.id,
          message: outcome.error,
          at,
        });
        audits.push({
          kind: 'deployment.rollback.started',
          data: { trigger, step: step.id, reason: outcome.error },
        });
      } else {
        const where = phase === 'rollback' ? await this.componentReport(run) : '';
        const outcomeText =
          phase === 'rollback'
            ? `the rollback failed at ${step.id}: ${outcome.error}. ${where}`
            : `${step.id} failed: ${outcome.error}${run.plan.rollback.automatic ? ` (${trigger} does not trigger an automatic rollback)` : ' (automatic rollback is off)'}`;
        events.push({ kind: 'finished', status: 'failed', at, outcome: outcomeText });
      }
    }
    run = await this.change(run, events, audits);
    const finished = currentSteps({ ...run.state, phase }).find((s) => s.id === step.id)!;
    onEvent?.({ kind: 'step-finished', step: finished, phase });
    if (run.state.phase !== phase && run.state.rollbackCause) {
      onEvent?.({
        kind: 'rollback-started',
        reason: `${run.state.rollbackCause.trigger} at ${step.id}: ${run.state.rollbackCause.message}`,
      });
      await this.tellIncident(run.deployment.id);
    }
    onCrashPoint?.('finished', step.id);
    return run;
  }

  /** Tells whoever watches about the incident the rollback opened. */
  private async tellIncident(deploymentId: string): Promise<void> {
    if (!this.options.onEvent) return;
    const incident = (await this.options.store.read((r) => r.listIncidents({ deploymentId })))[0];
    if (incident) this.options.onEvent({ kind: 'incident-opened', incident });
  }

  private async componentReport(run: LoadedRun): Promise<string> {
    return describeComponents(
      this.options.ports(run.deployment.environment),
      this.options.policy,
      run.deployment.environment,
    );
  }

  private async finish(run: LoadedRun): Promise<DriveResult> {
    if (!isTerminal(run.state.status)) {
      const at = this.options.clock.now().toISOString();
      const rolledBack = run.state.phase === 'rollback';
      const aborted = rolledBack && run.state.control.abort !== undefined;
      const status = aborted ? 'aborted' : rolledBack ? 'rolled_back' : 'succeeded';
      const cause = run.state.rollbackCause;
      const outcome = rolledBack
        ? `${aborted ? 'aborted' : 'rolled back'} after ${cause?.trigger ?? 'a failure'}${cause?.step ? ` at ${cause.step}` : ''}: ${cause?.message ?? ''}`
        : `${run.deployment.release} is live in ${run.deployment.environment}`;
      run = await this.change(
        run,
        [{ kind: 'finished', status, at, outcome }],
        [{ kind: `deployment.${status}`, data: { outcome } }],
      );
    }
    if (run.state.status === 'succeeded') await this.retire(run);
    this.options.onEvent?.({ kind: 'finished', state: run.state });
    return { kind: 'finished', state: run.state };
  }

  /** Old colours whose keep-warm time is over are stopped once the deployment has succeeded. */
  private async retire(run: LoadedRun): Promise<void> {
    const environment = run.deployment.environment;
    const env = environmentStore(
      this.options.store,
      this.options.audit,
      this.options.clock,
      this.actor,
      environment,
      run.deployment.id,
    );
    try {
      const retired = await retireExpiredSlots(
        this.options.ports(environment),
        environment,
        this.options.clock,
        env,
      );
      for (const slot of retired)
        this.options.onEvent?.({
          kind: 'log',
          step: 'retire',
          line: `stopped ${slot} (kept warm until now)`,
        });
    } catch (error) {
      this.options.onEvent?.({
        kind: 'log',
        step: 'retire',
        line: `could not stop the old version yet: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

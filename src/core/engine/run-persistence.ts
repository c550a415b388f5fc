import type { AuditActor, AuditData } from '../audit/audit-event.js';
import { EclusaError } from '../errors/eclusa-error.js';
import { openIncident } from '../incidents/open-incident.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { Plan } from '../plan/plan.js';
import type { AuditAppender } from '../services/governance-context.js';
import type { DeploymentRecord, DeploymentRunRecord } from '../store/records.js';
import type { Store, StoreReader, StoreWriter } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { nextStep, type RunState } from './run-state.js';
import { applyRunEvent, type RunEvent } from './run-transitions.js';

export interface LoadedRun {
  readonly record: DeploymentRunRecord;
  readonly deployment: DeploymentRecord;
  readonly plan: Plan;
  readonly state: RunState;
}

export function parseRun(record: DeploymentRunRecord, deployment: DeploymentRecord): LoadedRun {
  return {
    record,
    deployment,
    plan: JSON.parse(record.plan) as Plan,
    state: JSON.parse(record.state) as RunState,
  };
}

export async function loadRun(
  reader: Pick<StoreReader, 'getDeploymentRun' | 'getDeployment'>,
  id: string,
): Promise<LoadedRun | undefined> {
  const record = await reader.getDeploymentRun(id);
  const deployment = await reader.getDeployment(id);
  return record && deployment ? parseRun(record, deployment) : undefined;
}

export class LeaseLost extends EclusaError {
  constructor(id: string, owner: string | undefined) {
    super('failed', 'LEASE_LOST', `deployment ${id} is now run by ${owner ?? 'nobody'}`, {
      retryable: true,
    });
  }
}

/** Step outputs as audit data: plain JSON (what a step returns is JSON already; this makes it so). */
export function auditData(value: Readonly<Record<string, unknown>>): AuditData {
  return JSON.parse(JSON.stringify(value)) as AuditData;
}

/** An audit event to append with a change of the run. */
export interface RunAudit {
  readonly kind: string;
  readonly data: AuditData;
  readonly actor?: AuditActor;
}

/**
 * Writes runs: every change is one transaction with its audit events and the deployment
 * status. The change that starts a rollback (any trigger but an abort) also opens the
 * deployment's incident, in the same transaction.
 */
export class RunPersistence {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditAppender,
    private readonly clock: Clock,
    private readonly engineActor: AuditActor,
    private readonly incidents?: CompiledPolicy['incidents'],
  ) {}

  /**
   * Applies `events` to the *stored* state (so requests written meanwhile by other processes,
   * such as a pause, are kept) and stores it, if `owner` still holds the lease.
   */
  async change(
    id: string,
    owner: string | undefined,
    events: readonly RunEvent[],
    audits: readonly RunAudit[],
    lease?: { readonly owner?: string; readonly expiresAt?: string },
  ): Promise<LoadedRun> {
    return this.store.write(async (writer) => {
      const run = await loadRun(writer, id);
      if (!run) throw new EclusaError('invalid-input', 'UNKNOWN_DEPLOYMENT', `no deployment ${id}`);
      if (owner !== undefined && run.record.leaseOwner !== owner)
        throw new LeaseLost(id, run.record.leaseOwner);
      return this.write(writer, run, events, audits, lease);
    });
  }

  async write(
    writer: StoreWriter,
    run: LoadedRun,
    events: readonly RunEvent[],
    audits: readonly RunAudit[],
    lease?: { readonly owner?: string; readonly expiresAt?: string },
  ): Promise<LoadedRun> {
    const state = events.reduce(applyRunEvent, run.state);
    const waiting = nextStep(state)?.wakeAt;
    const leaseOwner = lease ? lease.owner : run.record.leaseOwner;
    const leaseExpiresAt = lease ? lease.expiresAt : run.record.leaseExpiresAt;
    const record: DeploymentRunRecord = {
      deploymentId: run.record.deploymentId,
      environment: run.record.environment,
      revision: run.record.revision + 1,
      plan: run.record.plan,
      state: JSON.stringify(state),
      ...(leaseOwner === undefined ? {} : { leaseOwner }),
      ...(leaseExpiresAt === undefined ? {} : { leaseExpiresAt }),
      ...(waiting === undefined ? {} : { wakeAt: waiting }),
      updatedAt: this.clock.now().toISOString(),
    };
    await writer.updateDeploymentRun(record);
    if (state.status !== run.deployment.status) {
      await writer.updateDeploymentStatus(run.deployment.id, state.status, state.finishedAt);
    }
    for (const entry of audits) {
      await this.audit.append(writer, {
        kind: entry.kind,
        subject: `deployment/${run.deployment.id}`,
        actor: entry.actor ?? this.engineActor,
        data: {
          release: run.deployment.release,
          environment: run.deployment.environment,
          ...entry.data,
        },
      });
    }
    if (
      run.state.phase === 'deploy' &&
      state.phase === 'rollback' &&
      state.rollbackCause &&
      state.control.abort === undefined
    ) {
      await openIncident(writer, this.audit, {
        deployment: run.deployment,
        plan: run.plan,
        cause: state.rollbackCause,
        actor: this.engineActor,
        ...(this.incidents ? { incidents: this.incidents } : {}),
      });
    }
    return {
      ...run,
      record,
      state,
      deployment: {
        ...run.deployment,
        status: state.status,
        ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
      },
    };
  }
}

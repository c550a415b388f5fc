import {
  initialRunState,
  isTerminal,
  type RunControl,
  type RunState,
} from '../engine/run-state.js';
import { parseRun } from '../engine/run-persistence.js';
import { invalidInput, refused } from '../errors/eclusa-error.js';
import { openIncident } from '../incidents/open-incident.js';
import { buildPlan } from '../plan/build-plan.js';
import type { DeploymentRecord } from '../store/records.js';
import type { StoreWriter } from '../store/store.js';
import { gatesFor } from './gates-service.js';
import { newId } from './ids.js';
import {
  nowIso,
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';

/** Records a new deployment as `queued` with its run (plan and state as JSON). */
async function insertQueued(
  writer: StoreWriter,
  context: GovernanceContext,
  input: { release: string; environment: string; plan: string; state: unknown; at: string },
): Promise<DeploymentRecord> {
  const record: DeploymentRecord = {
    id: newId('dep'),
    release: input.release,
    environment: input.environment,
    status: 'queued',
    requestedBy: context.actor.id,
    createdAt: input.at,
    origin: 'eclusa',
  };
  await writer.insertDeployment(record);
  await writer.insertDeploymentRun({
    deploymentId: record.id,
    environment: input.environment,
    revision: 1,
    plan: input.plan,
    state: JSON.stringify(input.state),
    updatedAt: input.at,
  });
  return record;
}

/**
 * `eclusa deploy`: refuses unless every gate passes, then records the deployment with its
 * plan as `queued` (one transaction, audited). The engine runs it; one deployment per
 * environment runs at a time, the others wait in order of creation.
 */
export async function createDeployment(
  context: GovernanceContext,
  input: { release: string; environment: string },
): Promise<DeploymentRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const plan = buildPlan(context.policy, { release: input.release, environment: environment.name });
  const { gates, ok } = await gatesFor(context, { ...input, requester: context.actor.id });
  if (!ok) {
    const failing = gates.filter((g) => g.status === 'fail' || g.status === 'pending');
    throw refused(
      'GATES_REFUSED',
      `${input.release} may not be deployed to ${environment.name}: ${failing.map((g) => `${g.name} ${g.status} (${g.reason})`).join('; ')}`,
      {
        hint: `see every gate with eclusa gates --release ${input.release} --env ${environment.name}`,
        details: { gates },
      },
    );
  }
  const at = nowIso(context);
  const state = initialRunState(plan, { at, gates });
  return context.store.write(async (writer) => {
    await requireRelease(writer, input.release);
    const record = await insertQueued(writer, context, {
      release: input.release,
      environment: environment.name,
      plan: JSON.stringify(plan),
      state: { ...state, preflight: { at, gates } },
      at,
    });
    const ahead =
      (await writer.listActiveDeploymentRuns({ environment: environment.name })).length - 1;
    await context.audit.append(writer, {
      kind: 'deployment.created',
      subject: `deployment/${record.id}`,
      actor: context.actor,
      data: {
        release: record.release,
        environment: record.environment,
        policyDigest: plan.policyDigest,
        steps: plan.steps.length,
        queuePosition: ahead,
        gates: gates.map((g) => ({ name: g.name, status: g.status, reason: g.reason })),
      },
    });
    return record;
  });
}

export type ControlRequest =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'promote'; readonly full: boolean }
  | { readonly kind: 'abort'; readonly reason: string }
  | { readonly kind: 'rollback'; readonly reason: string };

/** Records a person's request on a running deployment; the engine acts on it between steps. */
export async function controlDeployment(
  context: GovernanceContext,
  id: string,
  request: ControlRequest,
): Promise<RunState> {
  return context.store.write(async (writer) => {
    const record = await writer.getDeploymentRun(id);
    const deployment = await writer.getDeployment(id);
    if (!record || !deployment) {
      throw invalidInput('UNKNOWN_DEPLOYMENT', `no deployment ${id}`, {
        hint: 'list them with eclusa status',
      });
    }
    const run = parseRun(record, deployment);
    if (isTerminal(run.state.status)) {
      throw refused('DEPLOYMENT_ENDED', `deployment ${id} has already ended (${run.state.status})`);
    }
    const by = context.actor.id;
    const at = nowIso(context);
    const control: RunControl = run.state.control;
    let next: RunState;
    switch (request.kind) {
      case 'pause':
        next = { ...run.state, control: { ...control, pause: { by, at } } };
        break;
      case 'resume': {
        const { pause: _pause, ...rest } = control;
        next = {
          ...run.state,
          control: rest,
          ...(run.state.status === 'paused' ? { status: 'running' as const } : {}),
        };
        break;
      }
      case 'promote':
        next = {
          ...run.state,
          control: {
            ...control,
            promotes: [...(control.promotes ?? []), { by, at, full: request.full }],
          },
        };
        break;
      case 'abort':
        next = { ...run.state, control: { ...control, abort: { by, at, reason: request.reason } } };
        break;
      case 'rollback':
        next = {
          ...run.state,
          control: { ...control, rollback: { by, at, reason: request.reason } },
        };
        break;
    }
    await writer.updateDeploymentRun({
      ...record,
      revision: record.revision + 1,
      state: JSON.stringify(next),
      updatedAt: at,
    });
    if (next.status !== deployment.status) await writer.updateDeploymentStatus(id, next.status);
    await context.audit.append(writer, {
      kind: `deployment.${request.kind}.requested`,
      subject: `deployment/${id}`,
      actor: context.actor,
      data: {
        release: deployment.release,
        environment: deployment.environment,
        ...('reason' in request ? { reason: request.reason } : {}),
        ...('full' in request ? { full: request.full } : {}),
      },
    });
    return next;
  });
}

/**
 * `eclusa rollback --env E` when no deployment runs there: a new deployment that takes the
 * rollback path of the last one that succeeded — traffic back to the colour it replaced
 * (still warm) or the previous version started again, then verification — and ends
 * `rolled_back`. The reason is recorded as the trigger.
 */
export async function createRollback(
  context: GovernanceContext,
  input: { environment: string; reason: string },
): Promise<DeploymentRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const at = nowIso(context);
  return context.store.write(async (writer) => {
    const last = (await writer.listDeployments({ environment: environment.name }))
      .filter((d) => d.status === 'succeeded' && d.origin === 'eclusa')
      .at(-1);
    const lastRun = last && (await writer.getDeploymentRun(last.id));
    if (!last || !lastRun) {
      throw refused(
        'NOTHING_TO_ROLL_BACK',
        `eclusa has deployed nothing to ${environment.name} that it could roll back`,
        {
          hint: `deploy the release you want: eclusa deploy --release V --env ${environment.name} --wait`,
        },
      );
    }
    const previous = parseRun(lastRun, last);
    const plan = previous.plan;
    const cause = { trigger: 'manual' as const, message: input.reason, at };
    const state: RunState = {
      ...initialRunState(plan, { at, gates: [] }),
      // The deploy steps' outputs say what ran before: that is where the rollback goes.
      steps: previous.state.steps.map((s) => ({ ...s })),
      phase: 'rollback',
      rollbackCause: cause,
    };
    const record = await insertQueued(writer, context, {
      release: last.release,
      environment: environment.name,
      plan: lastRun.plan,
      state,
      at,
    });
    await context.audit.append(writer, {
      kind: 'deployment.rollback.requested',
      subject: `deployment/${record.id}`,
      actor: context.actor,
      data: {
        release: last.release,
        environment: environment.name,
        of: last.id,
        reason: input.reason,
      },
    });
    // The incident is about the release being rolled back, the one that was live.
    await openIncident(writer, context.audit, {
      deployment: record,
      plan,
      cause,
      actor: context.actor,
      ...(context.policy.incidents ? { incidents: context.policy.incidents } : {}),
    });
    return record;
  });
}

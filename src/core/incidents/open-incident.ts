import type { AuditActor } from '../audit/audit-event.js';
import type { RunState } from '../engine/run-state.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import { parseDuration } from '../policy/duration.js';
import type { Plan } from '../plan/plan.js';
import type { AuditAppender } from '../services/governance-context.js';
import { newId } from '../services/ids.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { DeploymentRecord } from '../store/records.js';
import type { StoreWriter } from '../store/store.js';
import { incidentSeverity } from './incident-severity.js';

export interface IncidentOpening {
  readonly deployment: Pick<DeploymentRecord, 'id' | 'release' | 'environment'>;
  readonly plan: Pick<Plan, 'tier' | 'rollback'>;
  readonly cause: NonNullable<RunState['rollbackCause']>;
  readonly actor: AuditActor;
  /** The policy's severities, for the acknowledgement deadline. */
  readonly incidents?: CompiledPolicy['incidents'];
}

/**
 * Opens the incident of a rollback inside the caller's write transaction, with its
 * `incident.opened` audit event. A deployment opens one incident: asked again, it returns
 * the one already open.
 */
export async function openIncident(
  writer: StoreWriter,
  audit: AuditAppender,
  opening: IncidentOpening,
): Promise<IncidentRecord> {
  const { deployment, cause } = opening;
  const existing = (await writer.listIncidents({ deploymentId: deployment.id }))[0];
  if (existing) return existing;
  const severity = incidentSeverity(opening.plan);
  const ack = opening.incidents?.severities[severity]?.ack;
  const ackMs = ack === undefined ? undefined : parseDuration(ack);
  const record: IncidentRecord = {
    id: newId('inc'),
    environment: deployment.environment,
    deploymentId: deployment.id,
    release: deployment.release,
    severity,
    trigger: cause.trigger,
    ...(cause.step === undefined ? {} : { step: cause.step }),
    reason: cause.message,
    openedAt: cause.at,
    openedBy: opening.actor.id,
    ...(ackMs === undefined
      ? {}
      : { ackDue: new Date(Date.parse(cause.at) + ackMs).toISOString() }),
    status: 'open',
  };
  await writer.insertIncident(record);
  await audit.append(writer, {
    kind: 'incident.opened',
    subject: `incident/${record.id}`,
    actor: opening.actor,
    data: {
      deployment: deployment.id,
      release: deployment.release,
      environment: deployment.environment,
      severity,
      trigger: cause.trigger,
      ...(cause.step === undefined ? {} : { step: cause.step }),
      reason: cause.message,
      ...(record.ackDue === undefined ? {} : { ackDue: record.ackDue }),
    },
  });
  return record;
}

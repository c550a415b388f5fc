import { invalidInput } from '../errors/eclusa-error.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { StoreWriter } from '../store/store.js';
import { nowIso, type GovernanceContext } from './governance-context.js';

async function requireIncident(writer: StoreWriter, id: string): Promise<IncidentRecord> {
  const incident = await writer.getIncident(id);
  if (!incident)
    throw invalidInput('UNKNOWN_INCIDENT', `no incident ${id}`, {
      hint: 'list them with eclusa incident list',
    });
  return incident;
}

/** `eclusa incident ack ID`: someone has it (set once, audited). */
export async function acknowledgeIncident(
  context: GovernanceContext,
  id: string,
): Promise<IncidentRecord> {
  return context.store.write(async (writer) => {
    const incident = await requireIncident(writer, id);
    const at = nowIso(context);
    await writer.acknowledgeIncident(id, context.actor.id, at);
    const late = incident.ackDue !== undefined && Date.parse(at) > Date.parse(incident.ackDue);
    await context.audit.append(writer, {
      kind: 'incident.acknowledged',
      subject: `incident/${id}`,
      actor: context.actor,
      data: {
        deployment: incident.deploymentId,
        environment: incident.environment,
        severity: incident.severity,
        ...(incident.ackDue === undefined ? {} : { ackDue: incident.ackDue, late }),
      },
    });
    return (await writer.getIncident(id)) ?? incident;
  });
}

/** `eclusa incident resolve ID`: closed, with what was done (set once, audited). */
export async function resolveIncident(
  context: GovernanceContext,
  id: string,
  resolution: string | undefined,
): Promise<IncidentRecord> {
  return context.store.write(async (writer) => {
    const incident = await requireIncident(writer, id);
    await writer.resolveIncident(id, context.actor.id, nowIso(context), resolution);
    await context.audit.append(writer, {
      kind: 'incident.resolved',
      subject: `incident/${id}`,
      actor: context.actor,
      data: {
        deployment: incident.deploymentId,
        environment: incident.environment,
        severity: incident.severity,
        ...(resolution === undefined ? {} : { resolution }),
      },
    });
    return (await writer.getIncident(id)) ?? incident;
  });
}

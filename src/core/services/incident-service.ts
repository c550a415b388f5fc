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

/**
 * One change to an incident, set once: the store refuses a second one. Stored with its
 * audit event in one transaction; `change` acts and returns what the event adds.
 */
async function changeIncident(
  context: GovernanceContext,
  id: string,
  kind: 'incident.acknowledged' | 'incident.resolved',
  change: (
    writer: StoreWriter,
    incident: IncidentRecord,
    at: string,
  ) => Promise<Record<string, unknown>>,
): Promise<IncidentRecord> {
  return context.store.write(async (writer) => {
    const incident = await requireIncident(writer, id);
    const added = await change(writer, incident, nowIso(context));
    await context.audit.append(writer, {
      kind,
      subject: `incident/${id}`,
      actor: context.actor,
      data: {
        deployment: incident.deploymentId,
        environment: incident.environment,
        severity: incident.severity,
        ...added,
      },
    });
    return (await writer.getIncident(id)) ?? incident;
  });
}

/** `eclusa incident ack ID`: someone has it (set once, audited). */
export async function acknowledgeIncident(
  context: GovernanceContext,
  id: string,
): Promise<IncidentRecord> {
  return changeIncident(context, id, 'incident.acknowledged', async (writer, incident, at) => {
    await writer.acknowledgeIncident(id, context.actor.id, at);
    const late = incident.ackDue !== undefined && Date.parse(at) > Date.parse(incident.ackDue);
    return incident.ackDue === undefined ? {} : { ackDue: incident.ackDue, late };
  });
}

/** `eclusa incident resolve ID`: closed, with what was done (set once, audited). */
export async function resolveIncident(
  context: GovernanceContext,
  id: string,
  resolution: string | undefined,
): Promise<IncidentRecord> {
  return changeIncident(context, id, 'incident.resolved', async (writer, _incident, at) => {
    await writer.resolveIncident(id, context.actor.id, at, resolution);
    return resolution === undefined ? {} : { resolution };
  });
}

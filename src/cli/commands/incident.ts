import type { IncidentRecord } from '../../core/store/incident-records.js';
import { requireEnvironment } from '../../core/services/governance-context.js';
import { acknowledgeIncident, resolveIncident } from '../../core/services/incident-service.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

interface Common {
  readonly file?: string;
  readonly json?: boolean;
}

/** One line per incident, for `incident list`, `status` and `deployment show`. */
export function incidentLine(incident: IncidentRecord): string {
  const due = incident.status === 'open' && incident.ackDue ? `, ack due ${incident.ackDue}` : '';
  return `${incident.id} ${incident.severity} ${incident.status}${due} — ${incident.release} in ${incident.environment}, ${incident.trigger}${incident.step ? ` at ${incident.step}` : ''}: ${incident.reason}`;
}

/** `eclusa incident list [--env E] [--all]`: unresolved incidents (every one with --all), oldest first. */
export async function incidentListCommand(
  io: CliIo,
  options: Common & { env?: string; all?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: false }, async ({ context, store }) => {
    const environment = options.env
      ? requireEnvironment(context.policy, options.env).name
      : undefined;
    const incidents = await store.read((r) =>
      r.listIncidents({
        ...(environment === undefined ? {} : { environment }),
        unresolvedOnly: options.all !== true,
      }),
    );
    if (options.json) writeJson(io, { incidents });
    else if (incidents.length === 0) io.out(options.all ? 'no incident' : 'no open incident');
    else for (const incident of incidents) io.out(incidentLine(incident));
    return 0;
  });
}

/** `eclusa incident ack ID` and `eclusa incident resolve ID`. */
export async function incidentChangeCommand(
  io: CliIo,
  id: string,
  change: { kind: 'ack' } | { kind: 'resolve'; resolution?: string },
  options: Common,
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const incident =
      change.kind === 'ack'
        ? await acknowledgeIncident(context, id)
        : await resolveIncident(context, id, change.resolution);
    if (options.json) writeJson(io, incident);
    else
      io.out(
        change.kind === 'ack'
          ? `incident ${id} acknowledged by ${incident.acknowledgedBy ?? '?'}`
          : `incident ${id} resolved by ${incident.resolvedBy ?? '?'}`,
      );
    return 0;
  });
}

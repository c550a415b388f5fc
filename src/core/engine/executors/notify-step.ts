import type { IncidentRecord } from '../../store/incident-records.js';
import { textDetail } from '../step-details.js';
import type { StepContext, StepExecutor } from '../step-executor.js';

/** The incident this deployment's rollback opened, for the steps that tell about it. */
async function incidentOf(ctx: StepContext): Promise<IncidentRecord | undefined> {
  const incidents = await ctx.read((r) => r.listIncidents({ deploymentId: ctx.deployment.id }));
  return incidents[0];
}

/** One line a person on call can act on: id, severity, what rolled back where, and why. */
export function incidentMessage(project: string, incident: IncidentRecord): string {
  return `incident ${incident.id} (${incident.severity}) opened: ${project} ${incident.release} rolled back in ${incident.environment} — ${incident.trigger}${incident.step ? ` at ${incident.step}` : ''}: ${incident.reason}`;
}

/**
 * Tells the environment's channels. A channel that cannot be reached is recorded, never a
 * reason to roll a release back. The rollback path's incident steps name the incident the
 * rollback opened.
 */
export const notifyStep: StepExecutor = async (ctx) => {
  const channels = (ctx.step.details['channels'] as string[] | undefined) ?? [];
  const aboutIncident =
    textDetail(ctx.step, 'event') === 'incident' ||
    typeof ctx.step.details['incident'] === 'string';
  const incident = aboutIncident ? await incidentOf(ctx) : undefined;
  const message = incident
    ? incidentMessage(ctx.policy.project.name, incident)
    : typeof ctx.step.details['message'] === 'string'
      ? ctx.step.details['message']
      : `${ctx.policy.project.name} ${ctx.release.version} in ${ctx.environment.name}: ${textDetail(ctx.step, 'event') ?? ctx.step.name}`;
  const results: Record<string, unknown> = {};
  for (const channel of channels) {
    const result = await ctx.ports.notifier.send(channel, message, ctx.signal);
    results[channel] = result;
    ctx.log(`${channel}: ${result.delivered ? 'sent' : 'not sent'} (${result.detail})`);
  }
  if (incident && channels.length === 0) ctx.log(message);
  return {
    kind: 'succeeded',
    output: {
      message,
      channels: results,
      ...(incident ? { incident: incident.id, severity: incident.severity } : {}),
    },
  };
};

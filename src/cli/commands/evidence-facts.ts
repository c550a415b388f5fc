import type { EnvironmentState } from '../../core/engine/environment-state.js';
import { parseRun } from '../../core/engine/run-persistence.js';
import type { EvidenceFacts } from '../../core/report/evidence-bundle.js';
import type { AuditEventRecord } from '../../core/store/records.js';
import type { Store } from '../../core/store/store.js';

/** Reads, in one snapshot, everything the evidence of a deployment is built from. */
export async function readEvidenceFacts(
  store: Store,
  id: string,
): Promise<EvidenceFacts | undefined> {
  return store.read(async (r) => {
    const record = await r.getDeploymentRun(id);
    const deployment = await r.getDeployment(id);
    if (!record || !deployment) return undefined;
    const release = await r.getRelease(deployment.release);
    if (!release) return undefined;
    // The log has no index by deployment yet: one pass over it (fine for thousands of
    // deployments; a subject index is the next step for very long logs).
    const events: AuditEventRecord[] = [];
    for await (const batch of r.iterateAuditEvents(1, 5_000)) {
      for (const event of batch) {
        if (
          event.subject === `deployment/${id}` ||
          ((event.kind === 'environment.changed' || event.kind.startsWith('incident.')) &&
            event.body.includes(`"deployment":"${id}"`))
        ) {
          events.push(event);
        }
      }
    }
    const environment = await r.getEnvironmentState(deployment.environment);
    return {
      deployment,
      release,
      state: parseRun(record, deployment).state,
      approvals: await r.listApprovals(deployment.release, deployment.environment),
      waivers: await r.listWaivers(deployment.release, deployment.environment),
      environment: environment
        ? (JSON.parse(environment.state) as EnvironmentState)
        : { components: {} },
      events,
      incidents: await r.listIncidents({ deploymentId: id }),
    };
  });
}

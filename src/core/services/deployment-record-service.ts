import { invalidInput } from '../errors/eclusa-error.js';
import type { DeploymentRecord } from '../store/records.js';
import { newId } from './ids.js';
import {
  nowIso,
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';

/**
 * Records a deployment that happened outside eclusa — what runs today when a team adopts it —
 * so promotion and the rollback plan know the starting point. Audited like everything else.
 */
export async function recordDeployment(
  context: GovernanceContext,
  input: { release: string; environment: string; status: 'succeeded' | 'failed'; at?: string },
): Promise<DeploymentRecord> {
  const environment = requireEnvironment(context.policy, input.environment);
  const at = input.at === undefined ? nowIso(context) : new Date(input.at).toISOString();
  if (input.at !== undefined && Number.isNaN(Date.parse(input.at)))
    throw invalidInput('INVALID_DATE', `--at "${input.at}" is not an ISO date-time`, {
      hint: 'e.g. 2026-11-20T14:00:00Z',
    });
  return context.store.write(async (writer) => {
    await requireRelease(writer, input.release);
    const record: DeploymentRecord = {
      id: newId('dep'),
      release: input.release,
      environment: environment.name,
      status: input.status,
      requestedBy: context.actor.id,
      createdAt: at,
      finishedAt: at,
      origin: 'recorded',
    };
    await writer.insertDeployment(record);
    await context.audit.append(writer, {
      kind: 'deployment.recorded',
      subject: `release/${input.release}/${environment.name}`,
      actor: context.actor,
      data: { id: record.id, status: input.status, at },
    });
    return record;
  });
}

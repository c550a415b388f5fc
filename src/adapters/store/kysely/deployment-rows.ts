import type { Insertable, Selectable } from 'kysely';
import type {
  DeploymentRecord,
  DeploymentRunRecord,
  EnvironmentStateRecord,
} from '../../../core/store/records.js';
import type { DeploymentRunTable, DeploymentTable, EnvironmentStateTable } from './tables.js';

export function deploymentRow(record: DeploymentRecord): Insertable<DeploymentTable> {
  return {
    id: record.id,
    release: record.release,
    environment: record.environment,
    status: record.status,
    requested_by: record.requestedBy,
    created_at: record.createdAt,
    finished_at: record.finishedAt ?? null,
    origin: record.origin,
  };
}

export function deploymentRecord(row: Selectable<DeploymentTable>): DeploymentRecord {
  return {
    id: row.id,
    release: row.release,
    environment: row.environment,
    status: row.status as DeploymentRecord['status'],
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    origin: row.origin as DeploymentRecord['origin'],
  };
}

export function deploymentRunRow(record: DeploymentRunRecord): Insertable<DeploymentRunTable> {
  return {
    deployment_id: record.deploymentId,
    environment: record.environment,
    revision: record.revision,
    plan: record.plan,
    state: record.state,
    lease_owner: record.leaseOwner ?? null,
    lease_expires_at: record.leaseExpiresAt ?? null,
    wake_at: record.wakeAt ?? null,
    updated_at: record.updatedAt,
  };
}

export function deploymentRunRecord(row: Selectable<DeploymentRunTable>): DeploymentRunRecord {
  return {
    deploymentId: row.deployment_id,
    environment: row.environment,
    revision: Number(row.revision),
    plan: row.plan,
    state: row.state,
    ...(row.lease_owner !== null && { leaseOwner: row.lease_owner }),
    ...(row.lease_expires_at !== null && { leaseExpiresAt: row.lease_expires_at }),
    ...(row.wake_at !== null && { wakeAt: row.wake_at }),
    updatedAt: row.updated_at,
  };
}

export function environmentStateRecord(
  row: Selectable<EnvironmentStateTable>,
): EnvironmentStateRecord {
  return {
    environment: row.environment,
    revision: Number(row.revision),
    state: row.state,
    updatedAt: row.updated_at,
  };
}

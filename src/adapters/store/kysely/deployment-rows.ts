import type { Insertable, Selectable } from 'kysely';
import type { DeploymentRecord } from '../../../core/store/records.js';
import type { DeploymentTable } from './tables.js';

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

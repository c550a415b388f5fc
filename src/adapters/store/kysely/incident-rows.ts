import type { Kysely, Selectable } from 'kysely';
import type { IncidentFilter, IncidentRecord } from '../../../core/store/incident-records.js';
import { incidentAlreadySet, recordNotFound } from '../store-errors.js';
import type { Database, IncidentTable } from './tables.js';

/*
 * An incident is kept as its JSON body (as opened) plus the columns set later; reading
 * merges them back and derives the status from them.
 */

function incidentRecord(row: Selectable<IncidentTable>): IncidentRecord {
  const opened = JSON.parse(row.body) as IncidentRecord;
  return {
    ...opened,
    status:
      row.resolved_at !== null
        ? 'resolved'
        : row.acknowledged_at !== null
          ? 'acknowledged'
          : 'open',
    ...(row.acknowledged_by !== null && { acknowledgedBy: row.acknowledged_by }),
    ...(row.acknowledged_at !== null && { acknowledgedAt: row.acknowledged_at }),
    ...(row.resolved_by !== null && { resolvedBy: row.resolved_by }),
    ...(row.resolved_at !== null && { resolvedAt: row.resolved_at }),
    ...(row.resolution !== null && { resolution: row.resolution }),
  };
}

export async function insertIncident(db: Kysely<Database>, record: IncidentRecord): Promise<void> {
  const {
    status: _status,
    acknowledgedBy,
    acknowledgedAt,
    resolvedBy,
    resolvedAt,
    resolution,
    ...body
  } = record;
  await db
    .insertInto('incidents')
    .values({
      id: record.id,
      environment: record.environment,
      deployment_id: record.deploymentId,
      opened_at: record.openedAt,
      body: JSON.stringify({ ...body, status: 'open' }),
      acknowledged_by: acknowledgedBy ?? null,
      acknowledged_at: acknowledgedAt ?? null,
      resolved_by: resolvedBy ?? null,
      resolved_at: resolvedAt ?? null,
      resolution: resolution ?? null,
    })
    .execute();
}

export async function getIncident(
  db: Kysely<Database>,
  id: string,
): Promise<IncidentRecord | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && incidentRecord(row);
}

export async function listIncidents(
  db: Kysely<Database>,
  filter: IncidentFilter = {},
): Promise<IncidentRecord[]> {
  let query = db.selectFrom('incidents').selectAll();
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.deploymentId !== undefined)
    query = query.where('deployment_id', '=', filter.deploymentId);
  if (filter.unresolvedOnly === true) query = query.where('resolved_at', 'is', null);
  const rows = await query.orderBy('opened_at').orderBy('ord').execute();
  return rows.map(incidentRecord);
}

/** Set once, and only while the incident is not resolved. */
export async function acknowledgeIncident(
  db: Kysely<Database>,
  id: string,
  by: string,
  at: string,
): Promise<void> {
  const result = await db
    .updateTable('incidents')
    .set({ acknowledged_by: by, acknowledged_at: at })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    const found = await getIncident(db, id);
    throw found
      ? incidentAlreadySet(id, found.status === 'resolved' ? 'resolved' : 'acknowledged')
      : recordNotFound('incident', id);
  }
}

/** Set once. */
export async function resolveIncident(
  db: Kysely<Database>,
  id: string,
  by: string,
  at: string,
  resolution?: string,
): Promise<void> {
  const result = await db
    .updateTable('incidents')
    .set({ resolved_by: by, resolved_at: at, resolution: resolution ?? null })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw (await getIncident(db, id))
      ? incidentAlreadySet(id, 'resolved')
      : recordNotFound('incident', id);
  }
}

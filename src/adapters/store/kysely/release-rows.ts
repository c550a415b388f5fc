import type { Insertable, Selectable } from 'kysely';
import type {
  Artifact,
  CheckRecord,
  EvidenceRef,
  ReleaseRecord,
} from '../../../core/store/records.js';
import type { CheckTable, ReleaseTable } from './tables.js';

export function releaseRow(record: ReleaseRecord): Insertable<ReleaseTable> {
  return {
    version: record.version,
    source_commit: record.commit,
    tag: record.tag ?? null,
    changelog: record.changelog ?? null,
    owner: record.owner,
    created_by: record.createdBy,
    created_at: record.createdAt,
    artifacts: JSON.stringify(record.artifacts),
    content_digest: record.contentDigest,
  };
}

export function releaseRecord(row: Selectable<ReleaseTable>): ReleaseRecord {
  return {
    version: row.version,
    commit: row.source_commit,
    ...(row.tag !== null && { tag: row.tag }),
    ...(row.changelog !== null && { changelog: row.changelog }),
    owner: row.owner,
    createdBy: row.created_by,
    createdAt: row.created_at,
    artifacts: JSON.parse(row.artifacts) as Artifact[],
    contentDigest: row.content_digest,
  };
}

export function checkRow(record: CheckRecord): Insertable<CheckTable> {
  return {
    id: record.id,
    release: record.release,
    name: record.name,
    status: record.status,
    value: record.value ?? null,
    evidence: record.evidence === undefined ? null : JSON.stringify(record.evidence),
    reported_by: record.reportedBy,
    reported_at: record.reportedAt,
  };
}

export function checkRecord(row: Selectable<CheckTable>): CheckRecord {
  return {
    id: row.id,
    release: row.release,
    name: row.name,
    status: row.status as CheckRecord['status'],
    ...(row.value !== null && { value: row.value }),
    ...(row.evidence !== null && { evidence: JSON.parse(row.evidence) as EvidenceRef }),
    reportedBy: row.reported_by,
    reportedAt: row.reported_at,
  };
}

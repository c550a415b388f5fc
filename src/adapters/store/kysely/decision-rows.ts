import type { Insertable, Selectable } from 'kysely';
import type {
  ApprovalRecord,
  BlockerRecord,
  ChecklistConfirmationRecord,
  WaiverRecord,
} from '../../../core/store/records.js';
import type {
  ApprovalTable,
  BlockerTable,
  ChecklistConfirmationTable,
  WaiverTable,
} from './tables.js';

export function approvalRow(record: ApprovalRecord): Insertable<ApprovalTable> {
  return {
    id: record.id,
    release: record.release,
    environment: record.environment,
    role: record.role ?? null,
    actor: record.actor,
    decision: record.decision,
    comment: record.comment ?? null,
    created_at: record.createdAt,
  };
}

export function approvalRecord(row: Selectable<ApprovalTable>): ApprovalRecord {
  return {
    id: row.id,
    release: row.release,
    environment: row.environment,
    ...(row.role !== null && { role: row.role }),
    actor: row.actor,
    decision: row.decision as ApprovalRecord['decision'],
    ...(row.comment !== null && { comment: row.comment }),
    createdAt: row.created_at,
  };
}

export function waiverRow(record: WaiverRecord): Insertable<WaiverTable> {
  return {
    id: record.id,
    release: record.release,
    environment: record.environment,
    gate: record.gate,
    justification: record.justification,
    risk: record.risk,
    expires_at: record.expiresAt ?? null,
    requested_by: record.requestedBy,
    requested_at: record.requestedAt,
    approved_by: record.approvedBy ?? null,
    approved_at: record.approvedAt ?? null,
  };
}

export function waiverRecord(row: Selectable<WaiverTable>): WaiverRecord {
  return {
    id: row.id,
    release: row.release,
    environment: row.environment,
    gate: row.gate,
    justification: row.justification,
    risk: row.risk,
    ...(row.expires_at !== null && { expiresAt: row.expires_at }),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    ...(row.approved_by !== null && { approvedBy: row.approved_by }),
    ...(row.approved_at !== null && { approvedAt: row.approved_at }),
  };
}

export function confirmationRow(
  record: ChecklistConfirmationRecord,
): Insertable<ChecklistConfirmationTable> {
  return {
    id: record.id,
    release: record.release,
    environment: record.environment,
    checklist: record.checklist,
    item: record.item,
    actor: record.actor,
    role: record.role,
    confirmed_at: record.confirmedAt,
  };
}

export function confirmationRecord(
  row: Selectable<ChecklistConfirmationTable>,
): ChecklistConfirmationRecord {
  return {
    id: row.id,
    release: row.release,
    environment: row.environment,
    checklist: row.checklist,
    item: row.item,
    actor: row.actor,
    role: row.role,
    confirmedAt: row.confirmed_at,
  };
}

export function blockerRow(record: BlockerRecord): Insertable<BlockerTable> {
  return {
    id: record.id,
    environment: record.environment,
    reason: record.reason,
    created_by: record.createdBy,
    created_at: record.createdAt,
    resolved_by: record.resolvedBy ?? null,
    resolved_at: record.resolvedAt ?? null,
    resolution: record.resolution ?? null,
  };
}

export function blockerRecord(row: Selectable<BlockerTable>): BlockerRecord {
  return {
    id: row.id,
    environment: row.environment,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.resolved_by !== null && { resolvedBy: row.resolved_by }),
    ...(row.resolved_at !== null && { resolvedAt: row.resolved_at }),
    ...(row.resolution !== null && { resolution: row.resolution }),
  };
}

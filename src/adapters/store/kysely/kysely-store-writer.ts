import type {
  ApprovalRecord,
  AuditCheckpointRecord,
  AuditEventRecord,
  AuditKeyRecord,
  BlockerRecord,
  CheckRecord,
  ChecklistConfirmationRecord,
  DeploymentRecord,
  DeploymentRunRecord,
  EnvironmentStateRecord,
  DeploymentStatus,
  ReleaseRecord,
  WaiverRecord,
} from '../../../core/store/records.js';
import type { StoreWriter } from '../../../core/store/store.js';
import type {
  BackupRecord,
  DriftCheckRecord,
  DrillRecord,
  MigrationRunRecord,
  RestoreApprovalRecord,
  RestoreRecord,
} from '../../../core/store/database-records.js';
import * as incidentRows from './incident-rows.js';
import type { IncidentRecord } from '../../../core/store/incident-records.js';
import * as databaseRows from './database-rows.js';
import {
  alreadySet,
  auditKeyConflict,
  auditSeqConflict,
  recordNotFound,
  revisionConflict,
} from '../store-errors.js';
import { auditCheckpointRow, auditEventRow, auditKeyRow } from './audit-rows.js';
import { approvalRow, blockerRow, confirmationRow, waiverRow } from './decision-rows.js';
import { deploymentRow, deploymentRunRow } from './deployment-rows.js';
import { KyselyStoreReader } from './kysely-store-reader.js';
import { checkRow, releaseRow } from './release-rows.js';

/** StoreWriter over one exclusive transaction. */
export class KyselyStoreWriter extends KyselyStoreReader implements StoreWriter {
  async insertRelease(record: ReleaseRecord): Promise<void> {
    await this.db.insertInto('releases').values(releaseRow(record)).execute();
  }

  async insertCheck(record: CheckRecord): Promise<void> {
    await this.db.insertInto('checks').values(checkRow(record)).execute();
  }

  async insertApproval(record: ApprovalRecord): Promise<void> {
    await this.db.insertInto('approvals').values(approvalRow(record)).execute();
  }

  async insertWaiver(record: WaiverRecord): Promise<void> {
    await this.db.insertInto('waivers').values(waiverRow(record)).execute();
  }

  async approveWaiver(id: string, approvedBy: string, approvedAt: string): Promise<void> {
    const result = await this.db
      .updateTable('waivers')
      .set({ approved_by: approvedBy, approved_at: approvedAt })
      .where('id', '=', id)
      .where('approved_by', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw (await this.getWaiver(id)) ? alreadySet('waiver', id) : recordNotFound('waiver', id);
    }
  }

  async insertChecklistConfirmation(record: ChecklistConfirmationRecord): Promise<void> {
    await this.db.insertInto('checklist_confirmations').values(confirmationRow(record)).execute();
  }

  async insertBlocker(record: BlockerRecord): Promise<void> {
    await this.db.insertInto('blockers').values(blockerRow(record)).execute();
  }

  async resolveBlocker(
    id: string,
    resolvedBy: string,
    resolvedAt: string,
    resolution?: string,
  ): Promise<void> {
    const result = await this.db
      .updateTable('blockers')
      .set({ resolved_by: resolvedBy, resolved_at: resolvedAt, resolution: resolution ?? null })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw (await this.getBlocker(id)) ? alreadySet('blocker', id) : recordNotFound('blocker', id);
    }
  }

  async insertDeployment(record: DeploymentRecord): Promise<void> {
    await this.db.insertInto('deployments').values(deploymentRow(record)).execute();
  }

  /** Without `finishedAt` the stored one is kept: pausing and resuming do not finish anything. */
  async updateDeploymentStatus(
    id: string,
    status: DeploymentStatus,
    finishedAt?: string,
  ): Promise<void> {
    const result = await this.db
      .updateTable('deployments')
      .set(finishedAt === undefined ? { status } : { status, finished_at: finishedAt })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw recordNotFound('deployment', id);
  }

  async insertDeploymentRun(record: DeploymentRunRecord): Promise<void> {
    await this.db.insertInto('deployment_runs').values(deploymentRunRow(record)).execute();
  }

  async updateDeploymentRun(record: DeploymentRunRecord): Promise<void> {
    const stored = await this.getDeploymentRun(record.deploymentId);
    if (!stored) throw recordNotFound('deployment', record.deploymentId);
    if (record.revision !== stored.revision + 1) {
      throw revisionConflict(
        'deployment run',
        record.deploymentId,
        record.revision - 1,
        stored.revision,
      );
    }
    await this.db
      .updateTable('deployment_runs')
      .set(deploymentRunRow(record))
      .where('deployment_id', '=', record.deploymentId)
      .execute();
  }

  async putEnvironmentState(record: EnvironmentStateRecord): Promise<void> {
    const stored = await this.getEnvironmentState(record.environment);
    const expected = (stored?.revision ?? 0) + 1;
    if (record.revision !== expected) {
      throw revisionConflict(
        'environment state',
        record.environment,
        record.revision - 1,
        expected - 1,
      );
    }
    const row = {
      environment: record.environment,
      revision: record.revision,
      state: record.state,
      updated_at: record.updatedAt,
    };
    if (stored) {
      await this.db
        .updateTable('environment_states')
        .set(row)
        .where('environment', '=', record.environment)
        .execute();
    } else {
      await this.db.insertInto('environment_states').values(row).execute();
    }
  }

  insertBackup(record: BackupRecord): Promise<void> {
    return databaseRows.insertBackup(this.db, record);
  }

  markBackupPruned(id: string, prunedAt: string): Promise<void> {
    return databaseRows.markBackupPruned(this.db, id, prunedAt);
  }

  insertDrill(record: DrillRecord): Promise<void> {
    return databaseRows.insertDrill(this.db, record);
  }

  insertRestoreApproval(record: RestoreApprovalRecord): Promise<void> {
    return databaseRows.insertRestoreApproval(this.db, record);
  }

  useRestoreApproval(id: string, usedBy: string, usedAt: string): Promise<void> {
    return databaseRows.useRestoreApproval(this.db, id, usedBy, usedAt);
  }

  insertRestore(record: RestoreRecord): Promise<void> {
    return databaseRows.insertRestore(this.db, record);
  }

  insertMigrationRun(record: MigrationRunRecord): Promise<void> {
    return databaseRows.insertMigrationRun(this.db, record);
  }

  insertDriftCheck(record: DriftCheckRecord): Promise<void> {
    return databaseRows.insertDriftCheck(this.db, record);
  }

  insertIncident(record: IncidentRecord): Promise<void> {
    return incidentRows.insertIncident(this.db, record);
  }

  acknowledgeIncident(id: string, by: string, at: string): Promise<void> {
    return incidentRows.acknowledgeIncident(this.db, id, by, at);
  }

  resolveIncident(id: string, by: string, at: string, resolution?: string): Promise<void> {
    return incidentRows.resolveIncident(this.db, id, by, at, resolution);
  }

  async appendAuditEvent(record: AuditEventRecord): Promise<void> {
    // The primary key alone would accept a gap; the chain needs exactly head + 1.
    const headSeq = (await this.auditHead())?.seq ?? 0;
    if (record.seq !== headSeq + 1) throw auditSeqConflict(record.seq, headSeq);
    await this.db.insertInto('audit_events').values(auditEventRow(record)).execute();
  }

  async insertAuditCheckpoint(record: AuditCheckpointRecord): Promise<void> {
    await this.db.insertInto('audit_checkpoints').values(auditCheckpointRow(record)).execute();
  }

  async insertAuditKey(record: AuditKeyRecord): Promise<void> {
    const known = await this.db
      .selectFrom('audit_keys')
      .select('public_key')
      .where('key_id', '=', record.keyId)
      .executeTakeFirst();
    if (known === undefined) {
      await this.db.insertInto('audit_keys').values(auditKeyRow(record)).execute();
    } else if (known.public_key !== record.publicKey) {
      // Same id, different key: accepting it silently would let a forged key stand in.
      throw auditKeyConflict(record.keyId);
    }
  }
}

import type { Kysely } from 'kysely';
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
  ReleaseRecord,
  WaiverRecord,
} from '../../../core/store/records.js';
import type { StoreReader } from '../../../core/store/store.js';
import type {
  BackupRecord,
  DatabaseRecordFilter,
  DriftCheckRecord,
  DrillRecord,
  MigrationRunRecord,
  RestoreApprovalRecord,
  RestoreRecord,
} from '../../../core/store/database-records.js';
import * as incidentRows from './incident-rows.js';
import type { IncidentFilter, IncidentRecord } from '../../../core/store/incident-records.js';
import * as databaseRows from './database-rows.js';
import { type AuditEventPack, packAuditEvents } from '../../../core/store/audit-event-pack.js';
import { EclusaError } from '../../../core/errors/eclusa-error.js';
import { auditCheckpointColumns, auditEventColumns, auditKeyColumns } from './audit-rows.js';
import {
  approvalRecord,
  blockerRecord,
  confirmationRecord,
  waiverRecord,
} from './decision-rows.js';
import {
  deploymentRecord,
  deploymentRunRecord,
  environmentStateRecord,
} from './deployment-rows.js';
import { checkRecord, releaseRecord } from './release-rows.js';
import type { StoreSession } from './store-connections.js';
import type { Database } from './tables.js';

// Batches much larger than this outlive V8's young generation while they are built, and
// copying them into the old one slows a full scan by a third (bench/store-audit-scan).
const DEFAULT_AUDIT_BATCH = 2_000;

/** StoreReader over one session; usable only until the `read` or `write` call that made it returns. */
export class KyselyStoreReader implements StoreReader {
  readonly #session: StoreSession;
  #ended = false;

  constructor(session: StoreSession) {
    this.#session = session;
  }

  /** Called when the transaction ends: its connection may already serve someone else. */
  end(): void {
    this.#ended = true;
  }

  protected get db(): Kysely<Database> {
    this.#checkOpen();
    return this.#session.db;
  }

  #checkOpen(): void {
    if (this.#ended) {
      throw new EclusaError(
        'internal',
        'STORE_SESSION_ENDED',
        'a store reader or writer was used after its read/write call returned',
      );
    }
  }

  async getRelease(version: string): Promise<ReleaseRecord | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row && releaseRecord(row);
  }

  async listReleases(): Promise<ReleaseRecord[]> {
    const rows = await this.db
      .selectFrom('releases')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('ord', 'desc')
      .execute();
    return rows.map(releaseRecord);
  }

  async listChecks(release: string): Promise<CheckRecord[]> {
    const rows = await this.db
      .selectFrom('checks')
      .selectAll()
      .where('release', '=', release)
      .orderBy('reported_at')
      .orderBy('ord')
      .execute();
    return rows.map(checkRecord);
  }

  async listApprovals(release: string, environment: string): Promise<ApprovalRecord[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('release', '=', release)
      .where('environment', '=', environment)
      .orderBy('created_at')
      .orderBy('ord')
      .execute();
    return rows.map(approvalRecord);
  }

  async getWaiver(id: string): Promise<WaiverRecord | undefined> {
    const row = await this.db
      .selectFrom('waivers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && waiverRecord(row);
  }

  async listWaivers(release: string, environment: string): Promise<WaiverRecord[]> {
    const rows = await this.db
      .selectFrom('waivers')
      .selectAll()
      .where('release', '=', release)
      .where('environment', '=', environment)
      .orderBy('requested_at')
      .orderBy('ord')
      .execute();
    return rows.map(waiverRecord);
  }

  async listChecklistConfirmations(
    release: string,
    environment: string,
  ): Promise<ChecklistConfirmationRecord[]> {
    const rows = await this.db
      .selectFrom('checklist_confirmations')
      .selectAll()
      .where('release', '=', release)
      .where('environment', '=', environment)
      .orderBy('confirmed_at')
      .orderBy('ord')
      .execute();
    return rows.map(confirmationRecord);
  }

  async getBlocker(id: string): Promise<BlockerRecord | undefined> {
    const row = await this.db
      .selectFrom('blockers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && blockerRecord(row);
  }

  async listBlockers(
    environment: string,
    options: { openOnly?: boolean } = {},
  ): Promise<BlockerRecord[]> {
    let query = this.db.selectFrom('blockers').selectAll().where('environment', '=', environment);
    if (options.openOnly === true) query = query.where('resolved_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('ord').execute();
    return rows.map(blockerRecord);
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db
      .selectFrom('deployments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && deploymentRecord(row);
  }

  async listDeployments(
    filter: { release?: string; environment?: string } = {},
  ): Promise<DeploymentRecord[]> {
    let query = this.db.selectFrom('deployments').selectAll();
    if (filter.release !== undefined) query = query.where('release', '=', filter.release);
    if (filter.environment !== undefined) {
      query = query.where('environment', '=', filter.environment);
    }
    const rows = await query.orderBy('created_at').orderBy('ord').execute();
    return rows.map(deploymentRecord);
  }

  async getDeploymentRun(deploymentId: string): Promise<DeploymentRunRecord | undefined> {
    const row = await this.db
      .selectFrom('deployment_runs')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return row && deploymentRunRecord(row);
  }

  async listActiveDeploymentRuns(
    filter: { environment?: string } = {},
  ): Promise<DeploymentRunRecord[]> {
    let query = this.db
      .selectFrom('deployment_runs as r')
      .innerJoin('deployments as d', 'd.id', 'r.deployment_id')
      .selectAll('r')
      .where('d.status', 'in', ['queued', 'running', 'paused']);
    if (filter.environment !== undefined) {
      query = query.where('r.environment', '=', filter.environment);
    }
    const rows = await query.orderBy('d.created_at').orderBy('d.ord').execute();
    return rows.map(deploymentRunRecord);
  }

  async getEnvironmentState(environment: string): Promise<EnvironmentStateRecord | undefined> {
    const row = await this.db
      .selectFrom('environment_states')
      .selectAll()
      .where('environment', '=', environment)
      .executeTakeFirst();
    return row && environmentStateRecord(row);
  }

  getBackup(id: string): Promise<BackupRecord | undefined> {
    return databaseRows.getBackup(this.db, id);
  }

  listBackups(filter?: DatabaseRecordFilter): Promise<BackupRecord[]> {
    return databaseRows.listBackups(this.db, filter);
  }

  listDrills(filter?: DatabaseRecordFilter): Promise<DrillRecord[]> {
    return databaseRows.listDrills(this.db, filter);
  }

  listRestoreApprovals(filter?: DatabaseRecordFilter): Promise<RestoreApprovalRecord[]> {
    return databaseRows.listRestoreApprovals(this.db, filter);
  }

  listRestores(filter?: DatabaseRecordFilter): Promise<RestoreRecord[]> {
    return databaseRows.listRestores(this.db, filter);
  }

  listMigrationRuns(filter?: DatabaseRecordFilter): Promise<MigrationRunRecord[]> {
    return databaseRows.listMigrationRuns(this.db, filter);
  }

  listDriftChecks(filter?: DatabaseRecordFilter): Promise<DriftCheckRecord[]> {
    return databaseRows.listDriftChecks(this.db, filter);
  }

  getIncident(id: string): Promise<IncidentRecord | undefined> {
    return incidentRows.getIncident(this.db, id);
  }

  listIncidents(filter?: IncidentFilter): Promise<IncidentRecord[]> {
    return incidentRows.listIncidents(this.db, filter);
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    return this.db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async auditCount(): Promise<number> {
    const row = await this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async auditEvents(fromSeq: number, limit: number): Promise<AuditEventRecord[]> {
    if (limit <= 0) return [];
    if (this.#session.readAuditBatch) {
      this.#checkOpen();
      return this.#session.readAuditBatch(fromSeq, limit);
    }
    return this.db
      .selectFrom('audit_events')
      .select(auditEventColumns)
      .where('seq', '>=', fromSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async *iterateAuditEvents(
    fromSeq: number,
    batchSize = DEFAULT_AUDIT_BATCH,
  ): AsyncIterable<readonly AuditEventRecord[]> {
    const size = Math.max(1, Math.floor(batchSize));
    let next = fromSeq;
    for (;;) {
      const batch = await this.auditEvents(next, size);
      const last = batch.at(-1);
      if (last === undefined) return;
      yield batch;
      if (batch.length < size) return;
      next = last.seq + 1;
    }
  }

  async auditEventPack(fromSeq: number, limit: number): Promise<AuditEventPack> {
    if (limit > 0 && this.#session.readAuditPack) {
      this.#checkOpen();
      return this.#session.readAuditPack(fromSeq, limit);
    }
    return packAuditEvents(await this.auditEvents(fromSeq, limit));
  }

  async listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return this.db
      .selectFrom('audit_checkpoints')
      .select(auditCheckpointColumns)
      .orderBy('seq')
      .orderBy('ord')
      .execute();
  }

  async listAuditKeys(): Promise<AuditKeyRecord[]> {
    return this.db
      .selectFrom('audit_keys')
      .select(auditKeyColumns)
      .orderBy('created_at')
      .orderBy('ord')
      .execute();
  }
}

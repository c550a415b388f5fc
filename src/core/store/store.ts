import type { AuditEventPack } from './audit-event-pack.js';
import type { IncidentFilter, IncidentRecord } from './incident-records.js';
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
} from './records.js';
import type {
  BackupRecord,
  DatabaseRecordFilter,
  DriftCheckRecord,
  DrillRecord,
  MigrationRunRecord,
  RestoreApprovalRecord,
  RestoreRecord,
} from './database-records.js';

/** Reads: a consistent snapshot for the duration of one `Store.read` or `Store.write` call. */
export interface StoreReader {
  getRelease(version: string): Promise<ReleaseRecord | undefined>;
  /** Newest first. */
  listReleases(): Promise<ReleaseRecord[]>;
  /** Oldest first; a check reported twice has two records, the newest counts. */
  listChecks(release: string): Promise<CheckRecord[]>;
  listApprovals(release: string, environment: string): Promise<ApprovalRecord[]>;
  getWaiver(id: string): Promise<WaiverRecord | undefined>;
  listWaivers(release: string, environment: string): Promise<WaiverRecord[]>;
  listChecklistConfirmations(
    release: string,
    environment: string,
  ): Promise<ChecklistConfirmationRecord[]>;
  getBlocker(id: string): Promise<BlockerRecord | undefined>;
  /** Oldest first; `openOnly` leaves out resolved blockers. */
  listBlockers(environment: string, options?: { openOnly?: boolean }): Promise<BlockerRecord[]>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  /** Oldest first, filtered by whichever of release / environment is given. */
  listDeployments(filter?: { release?: string; environment?: string }): Promise<DeploymentRecord[]>;
  getDeploymentRun(deploymentId: string): Promise<DeploymentRunRecord | undefined>;
  /** Runs whose deployment is queued, running or paused, oldest deployment first (the FIFO queue). */
  listActiveDeploymentRuns(filter?: { environment?: string }): Promise<DeploymentRunRecord[]>;
  getEnvironmentState(environment: string): Promise<EnvironmentStateRecord | undefined>;
  getBackup(id: string): Promise<BackupRecord | undefined>;
  /** Database records, oldest first, filtered by whichever of environment / database / deploymentId is given. */
  listBackups(filter?: DatabaseRecordFilter): Promise<BackupRecord[]>;
  listDrills(filter?: DatabaseRecordFilter): Promise<DrillRecord[]>;
  listRestoreApprovals(filter?: DatabaseRecordFilter): Promise<RestoreApprovalRecord[]>;
  listRestores(filter?: DatabaseRecordFilter): Promise<RestoreRecord[]>;
  listMigrationRuns(filter?: DatabaseRecordFilter): Promise<MigrationRunRecord[]>;
  listDriftChecks(filter?: DatabaseRecordFilter): Promise<DriftCheckRecord[]>;
  getIncident(id: string): Promise<IncidentRecord | undefined>;
  /** Oldest first, filtered by whichever of environment / deploymentId / unresolvedOnly is given. */
  listIncidents(filter?: IncidentFilter): Promise<IncidentRecord[]>;

  /** The last event's sequence number and hash; undefined for an empty log. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;
  auditCount(): Promise<number>;
  /** Events with seq ≥ fromSeq, ascending, at most `limit`. */
  auditEvents(fromSeq: number, limit: number): Promise<AuditEventRecord[]>;
  /** Every event from fromSeq on, ascending, in batches; for verification of large logs. */
  iterateAuditEvents(
    fromSeq: number,
    batchSize?: number,
  ): AsyncIterable<readonly AuditEventRecord[]>;
  /**
   * Events with seq ≥ fromSeq, ascending, at most `limit`, packed into one buffer: how
   * verification reads a large log (see AuditEventPack).
   */
  auditEventPack(fromSeq: number, limit: number): Promise<AuditEventPack>;
  /** Ascending by seq. */
  listAuditCheckpoints(): Promise<AuditCheckpointRecord[]>;
  listAuditKeys(): Promise<AuditKeyRecord[]>;
}

/** Writes happen inside `Store.write`: one transaction, exclusive among all writers. */
export interface StoreWriter extends StoreReader {
  insertRelease(record: ReleaseRecord): Promise<void>;
  insertCheck(record: CheckRecord): Promise<void>;
  insertApproval(record: ApprovalRecord): Promise<void>;
  insertWaiver(record: WaiverRecord): Promise<void>;
  approveWaiver(id: string, approvedBy: string, approvedAt: string): Promise<void>;
  insertChecklistConfirmation(record: ChecklistConfirmationRecord): Promise<void>;
  insertBlocker(record: BlockerRecord): Promise<void>;
  resolveBlocker(
    id: string,
    resolvedBy: string,
    resolvedAt: string,
    resolution?: string,
  ): Promise<void>;
  insertDeployment(record: DeploymentRecord): Promise<void>;
  updateDeploymentStatus(id: string, status: DeploymentStatus, finishedAt?: string): Promise<void>;
  insertDeploymentRun(record: DeploymentRunRecord): Promise<void>;
  /** Replaces the run; refused (STORE_CONFLICT) unless `record.revision` is the stored one + 1. */
  updateDeploymentRun(record: DeploymentRunRecord): Promise<void>;
  /** Inserts or replaces; refused (STORE_CONFLICT) unless `record.revision` is the stored one + 1 (1 when new). */
  putEnvironmentState(record: EnvironmentStateRecord): Promise<void>;
  insertBackup(record: BackupRecord): Promise<void>;
  /** Set once: a backup already pruned is refused (BACKUP_ALREADY_PRUNED). */
  markBackupPruned(id: string, prunedAt: string): Promise<void>;
  insertDrill(record: DrillRecord): Promise<void>;
  insertRestoreApproval(record: RestoreApprovalRecord): Promise<void>;
  /** Set once: an approval already used is refused (RESTORE_APPROVAL_ALREADY_USED). */
  useRestoreApproval(id: string, usedBy: string, usedAt: string): Promise<void>;
  insertRestore(record: RestoreRecord): Promise<void>;
  insertMigrationRun(record: MigrationRunRecord): Promise<void>;
  insertDriftCheck(record: DriftCheckRecord): Promise<void>;
  /** Stored as opened; the status is derived from the acknowledgement and resolution. */
  insertIncident(record: IncidentRecord): Promise<void>;
  /** Set once, while unresolved (INCIDENT_ALREADY_ACKNOWLEDGED / INCIDENT_ALREADY_RESOLVED). */
  acknowledgeIncident(id: string, by: string, at: string): Promise<void>;
  /** Set once (INCIDENT_ALREADY_RESOLVED). */
  resolveIncident(id: string, by: string, at: string, resolution?: string): Promise<void>;
  /** Appends one event; `seq` must be the head's seq + 1 (the store rejects anything else). */
  appendAuditEvent(record: AuditEventRecord): Promise<void>;
  insertAuditCheckpoint(record: AuditCheckpointRecord): Promise<void>;
  /** Idempotent: inserting a key already known does nothing. */
  insertAuditKey(record: AuditKeyRecord): Promise<void>;
}

/**
 * The store port. Every write is one transaction, serialised against every other writer —
 * in this process, in other processes on the same SQLite file, or on other replicas of
 * the same PostgreSQL database — so the audit chain can be extended safely. If `fn`
 * throws, nothing it wrote is kept.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store lives, for messages: a file path, or a URL without its password. */
  readonly location: string;
  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  write<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

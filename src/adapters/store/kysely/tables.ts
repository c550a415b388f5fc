import type { Generated } from 'kysely';

/*
 * The tables as the store's SQL sees them: snake_case columns, times as ISO-8601 text,
 * JSON-shaped fields as JSON text, absent optional fields as NULL. `ord` is the insertion
 * order, which breaks ties between records stamped with the same time.
 */

export interface ReleaseTable {
  ord: Generated<number>;
  version: string;
  source_commit: string;
  tag: string | null;
  changelog: string | null;
  owner: string;
  created_by: string;
  created_at: string;
  /** JSON array of artifacts. */
  artifacts: string;
  content_digest: string;
}

export interface CheckTable {
  ord: Generated<number>;
  id: string;
  release: string;
  name: string;
  status: string;
  value: number | null;
  /** JSON object, or NULL without evidence. */
  evidence: string | null;
  reported_by: string;
  reported_at: string;
}

export interface ApprovalTable {
  ord: Generated<number>;
  id: string;
  release: string;
  environment: string;
  role: string | null;
  actor: string;
  decision: string;
  comment: string | null;
  created_at: string;
}

export interface WaiverTable {
  ord: Generated<number>;
  id: string;
  release: string;
  environment: string;
  gate: string;
  justification: string;
  risk: string;
  expires_at: string | null;
  requested_by: string;
  requested_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface ChecklistConfirmationTable {
  ord: Generated<number>;
  id: string;
  release: string;
  environment: string;
  checklist: string;
  item: string;
  actor: string;
  role: string;
  confirmed_at: string;
}

export interface BlockerTable {
  ord: Generated<number>;
  id: string;
  environment: string;
  reason: string;
  created_by: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

export interface DeploymentTable {
  ord: Generated<number>;
  id: string;
  release: string;
  environment: string;
  status: string;
  requested_by: string;
  created_at: string;
  finished_at: string | null;
  origin: string;
}

export interface DeploymentRunTable {
  deployment_id: string;
  environment: string;
  revision: number;
  plan: string;
  state: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  wake_at: string | null;
  updated_at: string;
}

export interface EnvironmentStateTable {
  environment: string;
  revision: number;
  state: string;
  updated_at: string;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  body: string;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointTable {
  ord: Generated<number>;
  seq: number;
  hash: string;
  at: string;
  key_id: string;
  signature: string;
}

export interface AuditKeyTable {
  ord: Generated<number>;
  key_id: string;
  public_key: string;
  created_at: string;
}

/*
 * Database records (migration 004): the columns listings filter and sort on, and the whole
 * record as JSON in `body`. Fields set later (pruned, used) are columns of their own.
 */
export interface DatabaseRecordColumns {
  ord: Generated<number>;
  id: string;
  environment: string;
  database: string;
  deployment_id: string | null;
  at: string;
  body: string;
}

export interface DatabaseBackupTable extends DatabaseRecordColumns {
  status: string;
  pruned_at: string | null;
}

export interface DatabaseRestoreApprovalTable extends DatabaseRecordColumns {
  used_at: string | null;
  used_by: string | null;
}

/** Incidents (migration 005): the record as JSON in `body`, what is set later in columns. */
export interface IncidentTable {
  ord: Generated<number>;
  id: string;
  environment: string;
  deployment_id: string;
  opened_at: string;
  body: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

/** One row per applied schema migration. */
export interface MigrationTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface Database {
  releases: ReleaseTable;
  checks: CheckTable;
  approvals: ApprovalTable;
  waivers: WaiverTable;
  checklist_confirmations: ChecklistConfirmationTable;
  blockers: BlockerTable;
  deployments: DeploymentTable;
  deployment_runs: DeploymentRunTable;
  environment_states: EnvironmentStateTable;
  audit_events: AuditEventTable;
  audit_checkpoints: AuditCheckpointTable;
  audit_keys: AuditKeyTable;
  eclusa_migrations: MigrationTable;
  database_backups: DatabaseBackupTable;
  database_drills: DatabaseRecordColumns;
  database_restore_approvals: DatabaseRestoreApprovalTable;
  database_restores: DatabaseRecordColumns;
  database_migration_runs: DatabaseRecordColumns;
  database_drift_checks: DatabaseRecordColumns;
  incidents: IncidentTable;
}

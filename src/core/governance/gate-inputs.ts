import type {
  ApprovalRecord,
  BlockerRecord,
  CheckRecord,
  ChecklistConfirmationRecord,
  DeploymentRecord,
  ReleaseRecord,
  WaiverRecord,
} from '../store/records.js';
import type { MigrationLintOutcome } from './migration-lint-gate.js';
import type { BackupRecord, DriftCheckRecord, DrillRecord } from '../store/database-records.js';

/** Everything the gates of one release in one environment depend on, read in one go. */
export interface GateInputs {
  readonly release: ReleaseRecord;
  readonly checks: readonly CheckRecord[];
  readonly approvals: readonly ApprovalRecord[];
  readonly waivers: readonly WaiverRecord[];
  readonly confirmations: readonly ChecklistConfirmationRecord[];
  readonly openBlockers: readonly BlockerRecord[];
  /** Every deployment of this release, any environment. */
  readonly releaseDeployments: readonly DeploymentRecord[];
  /** The release now running in the target environment, if any: what a rollback returns to. */
  readonly previousRelease?: ReleaseRecord;
  /** Who asks to deploy; never counts as an approver. */
  readonly requester?: string;
  /** The policy's SQL migrations linted for this release (when the environment gates on it). */
  readonly migrationLint?: MigrationLintOutcome;
  /** The target environment's database records, oldest first (backup, restore-drill, drift gates). */
  readonly database?: {
    readonly backups: readonly BackupRecord[];
    readonly drills: readonly DrillRecord[];
    readonly driftChecks: readonly DriftCheckRecord[];
  };
  readonly now: Date;
}

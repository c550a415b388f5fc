import type {
  ApprovalRecord,
  AuditEventRecord,
  BlockerRecord,
  CheckRecord,
  ChecklistConfirmationRecord,
  DeploymentRecord,
  ReleaseRecord,
  WaiverRecord,
} from '../../core/store/records.js';
import type { IncidentRecord } from '../../core/store/incident-records.js';
import type { Store } from '../../core/store/store.js';

/** What the contract cases need from the adapter under test. */
export interface StoreContractContext {
  /** A store over fresh, empty storage; closed after the test. */
  fresh(): Promise<Store>;
  /** Another store over the same storage as `store`, as a second process would open it. */
  reopen(store: Store): Promise<Store>;
}

export const T0 = '2026-11-23T09:30:00.000Z';

/** T0 plus `minutes`, as the ISO text the store keeps. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

export function release(version: string, overrides: Partial<ReleaseRecord> = {}): ReleaseRecord {
  return {
    version,
    commit: '9f1c2d3',
    owner: 'payments',
    createdBy: 'ana',
    createdAt: T0,
    artifacts: [{ component: 'api', ref: `ghcr.io/acme/api:${version}` }],
    contentDigest: `sha256:${version}`,
    ...overrides,
  };
}

export function check(id: string, overrides: Partial<CheckRecord> = {}): CheckRecord {
  return {
    id,
    release: '1.0.0',
    name: 'unit-tests',
    status: 'pass',
    reportedBy: 'ci',
    reportedAt: T0,
    ...overrides,
  };
}

export function approval(id: string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id,
    release: '1.0.0',
    environment: 'production',
    actor: 'bruno',
    decision: 'approve',
    createdAt: T0,
    ...overrides,
  };
}

export function waiver(id: string, overrides: Partial<WaiverRecord> = {}): WaiverRecord {
  return {
    id,
    release: '1.0.0',
    environment: 'production',
    gate: 'coverage',
    justification: 'hotfix for INC-42',
    risk: 'low',
    requestedBy: 'ana',
    requestedAt: T0,
    ...overrides,
  };
}

export function confirmation(
  id: string,
  overrides: Partial<ChecklistConfirmationRecord> = {},
): ChecklistConfirmationRecord {
  return {
    id,
    release: '1.0.0',
    environment: 'production',
    checklist: 'go-live',
    item: 'runbook reviewed',
    actor: 'carla',
    role: 'sre',
    confirmedAt: T0,
    ...overrides,
  };
}

export function blocker(id: string, overrides: Partial<BlockerRecord> = {}): BlockerRecord {
  return {
    id,
    environment: 'production',
    reason: 'incident in progress',
    createdBy: 'dora',
    createdAt: T0,
    ...overrides,
  };
}

export function incident(id: string, overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id,
    environment: 'production',
    deploymentId: 'dep_1',
    release: '1.2.0',
    severity: 'P1',
    trigger: 'analysis-failed',
    step: 'analysis-canary-10',
    reason: 'canary 5xx 15.0 % vs baseline 0 %',
    openedAt: T0,
    openedBy: 'eclusa-engine',
    status: 'open',
    ...overrides,
  };
}

export function deployment(
  id: string,
  overrides: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return {
    id,
    release: '1.0.0',
    environment: 'production',
    status: 'queued',
    requestedBy: 'ana',
    createdAt: T0,
    origin: 'eclusa',
    ...overrides,
  };
}

/** Event `seq` of a chain whose hashes are derived from the seq alone. */
export function auditEvent(
  seq: number,
  overrides: Partial<AuditEventRecord> = {},
): AuditEventRecord {
  return {
    seq,
    at: at(seq),
    kind: seq % 2 === 0 ? 'check.reported' : 'release.created',
    subject: `release:1.${seq % 7}.0`,
    body: JSON.stringify({ seq, note: `evento nº ${seq} ✓` }),
    prevHash: hashOf(seq - 1),
    hash: hashOf(seq),
    ...overrides,
  };
}

export function hashOf(seq: number): string {
  return seq.toString(16).padStart(64, '0');
}

/** Appends events `from..to` in transactions of `perTransaction`. */
export async function appendEvents(
  store: Store,
  from: number,
  to: number,
  perTransaction = 1_000,
): Promise<void> {
  for (let start = from; start <= to; start += perTransaction) {
    await store.write(async (writer) => {
      for (let seq = start; seq <= Math.min(to, start + perTransaction - 1); seq++) {
        await writer.appendAuditEvent(auditEvent(seq));
      }
    });
  }
}

import type { EnvironmentState } from '../engine/environment-state.js';
import type { RunState, StepState } from '../engine/run-state.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type {
  ApprovalRecord,
  AuditEventRecord,
  DeploymentRecord,
  ReleaseRecord,
  WaiverRecord,
} from '../store/records.js';

/** Everything seed 000 asks a release to prove, for one deployment; built from the store and the audit log. */
export interface EvidenceBundle {
  readonly deployment: {
    id: string;
    release: string;
    environment: string;
    status: string;
    requestedBy: string;
    createdAt: string;
    finishedAt: string | null;
    outcome: string | null;
  };
  readonly release: {
    version: string;
    commit: string;
    tag: string | null;
    owner: string;
    artifacts: readonly { component: string; ref: string; digest: string | null }[];
  };
  readonly gates: readonly { name: string; status: string; reason: string }[];
  readonly approvals: readonly {
    role: string | null;
    by: string;
    decision: string;
    at: string;
    comment: string | null;
  }[];
  readonly waivers: readonly {
    gate: string;
    requestedBy: string;
    approvedBy: string | null;
    justification: string;
    risk: string;
    expiresAt: string | null;
  }[];
  readonly steps: readonly {
    id: string;
    kind: string;
    name: string;
    phase: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
    error: string | null;
  }[];
  readonly backups: readonly Record<string, unknown>[];
  readonly migrations: readonly Record<string, unknown>[];
  readonly verification: readonly Record<string, unknown>[];
  readonly cache: readonly Record<string, unknown>[];
  readonly components: Readonly<Record<string, { version: string | null; slot: string | null }>>;
  readonly rollback: { trigger: string; step: string | null; reason: string; at: string } | null;
  /** The incident the rollback opened, as it stands when the evidence is read. */
  readonly incidents: readonly {
    id: string;
    severity: string;
    status: string;
    trigger: string;
    reason: string;
    openedAt: string;
    ackDue: string | null;
    acknowledgedBy: string | null;
    resolvedBy: string | null;
    resolution: string | null;
  }[];
  readonly timeline: readonly {
    seq: number;
    at: string;
    kind: string;
    actor: string;
    summary: string;
  }[];
  readonly audit: { firstSeq: number | null; lastSeq: number | null; lastHash: string | null };
}

export interface EvidenceFacts {
  readonly deployment: DeploymentRecord;
  readonly release: ReleaseRecord;
  readonly state: RunState & {
    readonly preflight?: {
      readonly gates: readonly { name: string; status: string; reason: string }[];
    };
  };
  readonly approvals: readonly ApprovalRecord[];
  readonly waivers: readonly WaiverRecord[];
  readonly environment: EnvironmentState;
  readonly events: readonly AuditEventRecord[];
  readonly incidents?: readonly IncidentRecord[];
}

function outputsOf(steps: readonly StepState[], kind: string): Record<string, unknown>[] {
  return steps
    .filter((s) => s.kind === kind && s.output)
    .map((s) => ({ step: s.id, status: s.status, ...s.output }));
}

function summary(event: AuditEventRecord): { actor: string; summary: string } {
  const body = JSON.parse(event.body) as {
    actor?: { id?: string };
    data?: Record<string, unknown>;
  };
  const data = body.data ?? {};
  const parts = ['step', 'status', 'severity', 'reason', 'error', 'outcome', 'by']
    .filter((k) => data[k] !== undefined)
    .map((k) => `${k}=${JSON.stringify(data[k])}`);
  return { actor: body.actor?.id ?? '?', summary: parts.join(' ') };
}

/** Builds the evidence bundle: a pure function of the facts read in one snapshot. */
export function buildEvidence(facts: EvidenceFacts): EvidenceBundle {
  const { deployment, release, state } = facts;
  const all = [...state.steps, ...state.rollbackSteps];
  const ran = [
    ...state.steps.map((s) => ({ s, phase: 'deploy' })),
    ...state.rollbackSteps
      .filter((s) => s.status !== 'pending' || state.phase === 'rollback')
      .map((s) => ({ s, phase: 'rollback' })),
  ];
  return {
    deployment: {
      id: deployment.id,
      release: deployment.release,
      environment: deployment.environment,
      status: state.status,
      requestedBy: deployment.requestedBy,
      createdAt: deployment.createdAt,
      finishedAt: state.finishedAt ?? null,
      outcome: state.outcome ?? null,
    },
    release: {
      version: release.version,
      commit: release.commit,
      tag: release.tag ?? null,
      owner: release.owner,
      artifacts: release.artifacts.map((a) => ({
        component: a.component,
        ref: a.ref,
        digest: a.digest ?? null,
      })),
    },
    gates: (state.preflight?.gates ?? []).map((g) => ({
      name: g.name,
      status: g.status,
      reason: g.reason,
    })),
    approvals: facts.approvals.map((a) => ({
      role: a.role ?? null,
      by: a.actor,
      decision: a.decision,
      at: a.createdAt,
      comment: a.comment ?? null,
    })),
    waivers: facts.waivers.map((w) => ({
      gate: w.gate,
      requestedBy: w.requestedBy,
      approvedBy: w.approvedBy ?? null,
      justification: w.justification,
      risk: w.risk,
      expiresAt: w.expiresAt ?? null,
    })),
    steps: ran.map(({ s, phase }) => ({
      id: s.id,
      kind: s.kind,
      name: s.name,
      phase,
      status: s.status,
      startedAt: s.startedAt ?? null,
      finishedAt: s.finishedAt ?? null,
      error: s.error ?? null,
    })),
    backups: outputsOf(all, 'backup'),
    migrations: outputsOf(all, 'migrate'),
    verification: outputsOf(all, 'verify'),
    cache: outputsOf(all, 'cache'),
    components: Object.fromEntries(
      Object.entries(facts.environment.components).map(([name, c]) => [
        name,
        { version: c.live ? (c.slots[c.live]?.version ?? null) : null, slot: c.live ?? null },
      ]),
    ),
    rollback: state.rollbackCause
      ? {
          trigger: state.rollbackCause.trigger,
          step: state.rollbackCause.step ?? null,
          reason: state.rollbackCause.message,
          at: state.rollbackCause.at,
        }
      : null,
    incidents: (facts.incidents ?? []).map((i) => ({
      id: i.id,
      severity: i.severity,
      status: i.status,
      trigger: i.trigger,
      reason: i.reason,
      openedAt: i.openedAt,
      ackDue: i.ackDue ?? null,
      acknowledgedBy: i.acknowledgedBy ?? null,
      resolvedBy: i.resolvedBy ?? null,
      resolution: i.resolution ?? null,
    })),
    timeline: facts.events.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, ...summary(e) })),
    audit: {
      firstSeq: facts.events[0]?.seq ?? null,
      lastSeq: facts.events.at(-1)?.seq ?? null,
      lastHash: facts.events.at(-1)?.hash ?? null,
    },
  };
}

/** Why a deployment rolled back: what opened the incident. */
export type IncidentTrigger =
  'step-failed' | 'verification-failed' | 'analysis-failed' | 'monitoring-failed' | 'manual';

/** `open` until someone acknowledges it, `resolved` once closed; both are set once. */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

/** An incident opened by a rollback (R19): which deployment, why, and how bad. */
export interface IncidentRecord {
  readonly id: string;
  readonly environment: string;
  readonly deploymentId: string;
  readonly release: string;
  /** A severity of the policy's `incidents.severities`, or the default p1 (production) / p2. */
  readonly severity: string;
  readonly trigger: IncidentTrigger;
  /** The step that failed, when one did. */
  readonly step?: string;
  /** The verdict in one sentence: the failed step's error, the analysis summary or the person's reason. */
  readonly reason: string;
  readonly openedAt: string;
  readonly openedBy: string;
  /** When the severity's `ack` time runs out (only when the policy defines the severity). */
  readonly ackDue?: string;
  readonly status: IncidentStatus;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: string;
  readonly resolvedBy?: string;
  readonly resolvedAt?: string;
  readonly resolution?: string;
}

export interface IncidentFilter {
  readonly environment?: string;
  readonly deploymentId?: string;
  /** Leaves out resolved incidents. */
  readonly unresolvedOnly?: boolean;
}

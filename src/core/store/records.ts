/*
 * What the store keeps. Times are ISO-8601 UTC strings (`2026-11-23T09:30:00.000Z`), ids are
 * strings chosen by the core, and JSON-shaped fields are plain objects. Records are
 * immutable facts, except where a field says it is set later (a waiver's approval, a
 * blocker's resolution, a deployment's status).
 */

export interface Artifact {
  readonly component: string;
  /** Repository reference without the digest, e.g. `ghcr.io/acme/api:1.4.0`. */
  readonly ref: string;
  /** `sha256:<64 hex>`; absent only when the policy allows a mutable tag for the component. */
  readonly digest?: string;
}

export interface ReleaseRecord {
  readonly version: string;
  readonly commit: string;
  readonly tag?: string;
  readonly changelog?: string;
  readonly owner: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly artifacts: readonly Artifact[];
  /** SHA-256 over the release's content: identical content → identical digest. */
  readonly contentDigest: string;
}

export interface EvidenceRef {
  readonly sha256: string;
  readonly format: 'junit' | 'lcov' | 'cobertura' | 'score' | 'file';
  readonly fileName: string;
  readonly size: number;
  /** What eclusa read from the file (tests/failures, coverage %, score …). */
  readonly summary: Readonly<Record<string, number | string>>;
}

export interface CheckRecord {
  readonly id: string;
  readonly release: string;
  readonly name: string;
  readonly status: 'pass' | 'fail';
  readonly value?: number;
  readonly evidence?: EvidenceRef;
  readonly reportedBy: string;
  readonly reportedAt: string;
}

export interface ApprovalRecord {
  readonly id: string;
  readonly release: string;
  readonly environment: string;
  readonly role?: string;
  readonly actor: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly createdAt: string;
}

export interface WaiverRecord {
  readonly id: string;
  readonly release: string;
  readonly environment: string;
  readonly gate: string;
  readonly justification: string;
  readonly risk: string;
  readonly expiresAt?: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** Set once, by `waiver approve`. */
  readonly approvedBy?: string;
  readonly approvedAt?: string;
}

export interface ChecklistConfirmationRecord {
  readonly id: string;
  readonly release: string;
  readonly environment: string;
  readonly checklist: string;
  readonly item: string;
  readonly actor: string;
  readonly role: string;
  readonly confirmedAt: string;
}

export interface BlockerRecord {
  readonly id: string;
  readonly environment: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
  /** Set once, by `unblock` (by someone other than createdBy). */
  readonly resolvedBy?: string;
  readonly resolvedAt?: string;
  readonly resolution?: string;
}

export type DeploymentStatus =
  'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'rolled_back' | 'aborted';

export interface DeploymentRecord {
  readonly id: string;
  readonly release: string;
  readonly environment: string;
  readonly status: DeploymentStatus;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  /** `eclusa`: run by the engine; `recorded`: a deployment done before eclusa, recorded by hand. */
  readonly origin: 'eclusa' | 'recorded';
}

/** One audit event as stored: `body` is the canonical JSON that `hash` covers. */
export interface AuditEventRecord {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly subject: string;
  readonly body: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditCheckpointRecord {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
  /** Base64 Ed25519 signature over the checkpoint's canonical JSON (see docs/audit.md). */
  readonly signature: string;
}

export interface AuditKeyRecord {
  readonly keyId: string;
  /** SPKI PEM of the Ed25519 public key. */
  readonly publicKey: string;
  readonly createdAt: string;
}

/**
 * The engine's durable state of one deployment run by eclusa. `plan` and `state` are JSON
 * documents the engine owns (core/engine); the store keeps them opaque and replaces them
 * whole, so a step's state is never half-written.
 */
export interface DeploymentRunRecord {
  readonly deploymentId: string;
  readonly environment: string;
  /** Grows by one with every update: a reader can tell whether anything moved. */
  readonly revision: number;
  readonly plan: string;
  readonly state: string;
  /** The engine instance that runs it now, and until when its lease holds. */
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: string;
  /** When a waiting run (pause, bake) next needs attention. */
  readonly wakeAt?: string;
  readonly updatedAt: string;
}

/** What runs in an environment now (per component: slots, versions), as the engine's JSON. */
export interface EnvironmentStateRecord {
  readonly environment: string;
  readonly revision: number;
  readonly state: string;
  readonly updatedAt: string;
}

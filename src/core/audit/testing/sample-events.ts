import type { AuditEventInput } from '../audit-event.js';

const KINDS = [
  'release.created',
  'check.reported',
  'approval.recorded',
  'deployment.started',
  'deployment.succeeded',
  'deployment.rolled_back',
] as const;

/** A varied but repeatable event: the i-th of a log built by tests and benchmarks. */
export function sampleEvent(i: number): AuditEventInput {
  const kind = KINDS[i % KINDS.length]!;
  const release = `1.${Math.floor(i / 50)}.${i % 50}`;
  return {
    kind,
    subject: `release:${release}`,
    actor: { id: i % 7 === 0 ? 'joão.silva' : `user-${i % 5}`, authenticated: i % 3 === 0 },
    data: {
      commit: (i * 2654435761).toString(16).padStart(12, '0').slice(0, 12),
      image: `ghcr.io/acme/api:${release}`,
      environment: i % 2 === 0 ? 'staging' : 'production',
      result: kind === 'deployment.rolled_back' ? 'rolled back: error rate 3.1% > 1%' : 'ok',
      ...(i % 11 === 0 ? { note: 'quoted "text", a tab\there and ✓' } : {}),
    },
  };
}

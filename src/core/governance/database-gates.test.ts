import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../policy/load-policy.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { BackupRecord, DriftCheckRecord, DrillRecord } from '../store/database-records.js';
import { evaluateGates } from './evaluate-gates.js';
import type { GateInputs } from './gate-inputs.js';

const POLICY = `
version: 1
project: { name: shop, owners: [olga] }
components:
  db:
    kind: database
    engine: postgres
    connection: env:DATABASE_URL
    migrations: { tool: sql, dir: migrations }
  legacy: { kind: database, engine: mysql, connection: env:LEGACY_URL }
environments:
  - name: production
    tier: production
    gates:
      backup: { database: db, maxAge: 1h }
      restoreDrill: { database: db, maxAge: 7d }
      drift: true
`;

function policy(): CompiledPolicy {
  const result = validatePolicyText('p.yaml', POLICY);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const NOW = new Date('2026-11-23T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

const backup = (
  id: string,
  minutesAgo: number,
  extra: Partial<BackupRecord> = {},
): BackupRecord => ({
  id,
  environment: 'production',
  database: 'db',
  engine: 'postgres',
  status: 'verified',
  file: `/b/${id}.dump`,
  createdBy: 'ana',
  startedAt: ago(minutesAgo + 1),
  finishedAt: ago(minutesAgo),
  durationMs: 60_000,
  ...extra,
});

const drill = (id: string, minutesAgo: number, extra: Partial<DrillRecord> = {}): DrillRecord => ({
  id,
  environment: 'production',
  database: 'db',
  backupId: 'b1',
  status: 'passed',
  scratchDatabase: 'x',
  scratchDropped: true,
  rtoMs: 42_000,
  rpoMs: 3_600_000,
  tablesCompared: 3,
  mismatches: [],
  createdBy: 'ana',
  startedAt: ago(minutesAgo + 1),
  finishedAt: ago(minutesAgo),
  ...extra,
});

const drift = (
  id: string,
  status: 'clean' | 'drifted',
  differences: DriftCheckRecord['differences'] = [],
): DriftCheckRecord => ({
  id,
  environment: 'production',
  database: 'db',
  status,
  ledgerVersion: 4,
  differences,
  createdBy: 'ana',
  checkedAt: ago(5),
});

function gates(database: GateInputs['database']) {
  const compiled = policy();
  const environment = compiled.environments[0]!;
  const inputs: GateInputs = {
    release: {
      version: '1.0.0',
      commit: 'abc',
      owner: 'olga',
      createdBy: 'olga',
      createdAt: ago(100),
      artifacts: [],
      contentDigest: 'sha256:x',
    },
    checks: [],
    approvals: [],
    waivers: [],
    confirmations: [],
    openBlockers: [],
    releaseDeployments: [],
    ...(database ? { database } : {}),
    now: NOW,
  };
  const results = evaluateGates(compiled, environment, inputs);
  return Object.fromEntries(
    results
      .filter((r) => ['backup', 'restore-drill', 'drift'].includes(r.name))
      .map((r) => [r.name, r]),
  );
}

describe('database gates', () => {
  it('are pending while nothing was recorded', () => {
    const none = gates(undefined);
    expect(none['backup']).toMatchObject({ status: 'pending' });
    expect(none['restore-drill']).toMatchObject({ status: 'pending' });
    expect(none['drift']).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('no drift check of db') as string,
    });
  });

  it('backup: the newest verified, unpruned backup must be younger than maxAge', () => {
    expect(
      gates({ backups: [backup('b1', 30)], drills: [], driftChecks: [] })['backup'],
    ).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('is 30m old; at most 1h') as string,
    });
    expect(
      gates({ backups: [backup('b1', 61)], drills: [], driftChecks: [] })['backup'],
    ).toMatchObject({ status: 'fail' });
    // A failed attempt, a pruned file or another database never counts.
    const others = [
      backup('b2', 5, { status: 'failed' }),
      backup('b3', 5, { prunedAt: ago(1) }),
      backup('b4', 5, { database: 'legacy' }),
    ];
    expect(
      gates({ backups: [backup('b1', 90), ...others], drills: [], driftChecks: [] })['backup'],
    ).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('(b1,') as string,
    });
  });

  it('restore drill: the latest drill decides; it must have passed within maxAge', () => {
    const ok = gates({ backups: [], drills: [drill('d1', 60)], driftChecks: [] })['restore-drill'];
    expect(ok).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('RTO 42s, RPO 1h') as string,
    });
    expect(
      gates({ backups: [], drills: [drill('d1', 8 * 24 * 60)], driftChecks: [] })['restore-drill'],
    ).toMatchObject({
      status: 'fail',
    });
    const broken = drill('d2', 10, {
      status: 'failed',
      mismatches: [{ table: 'public.orders', expected: { rows: 2, checksum: '1' } }],
    });
    expect(
      gates({ backups: [], drills: [drill('d1', 60), broken], driftChecks: [] })['restore-drill'],
    ).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('tables differ: public.orders') as string,
    });
    expect(
      gates({ backups: [], drills: [drill('d3', 10, { status: 'unverified' })], driftChecks: [] })[
        'restore-drill'
      ],
    ).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('could not compare rows') as string,
    });
  });

  it('drift: the latest check of every PostgreSQL database on the sql runner must be clean', () => {
    expect(
      gates({ backups: [], drills: [], driftChecks: [drift('x1', 'clean')] })['drift'],
    ).toMatchObject({
      status: 'pass',
    });
    const drifted = drift('x2', 'drifted', [
      { object: 'index public.users_email_idx', change: 'extra' },
    ]);
    expect(
      gates({ backups: [], drills: [], driftChecks: [drift('x1', 'clean'), drifted] })['drift'],
    ).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('db: extra index public.users_email_idx') as string,
    });
    expect(
      gates({ backups: [], drills: [], driftChecks: [drifted, drift('x3', 'clean')] })['drift'],
    ).toMatchObject({
      status: 'pass',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../policy/load-policy.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { ApprovalRecord, CheckRecord, ReleaseRecord } from '../store/records.js';
import { evaluateGates, gatesPass } from './evaluate-gates.js';
import type { GateInputs } from './gate-inputs.js';

const POLICY = `
version: 1
project: { name: shop, owners: [olga] }
roles:
  po: { members: [ana, bia] }
  qa: { members: [ana, caio] }
  owner: { members: [olga, otto] }
  ops: { members: [davi, edu] }
components:
  api: { kind: service, artifact: { image: ghcr.io/acme/api } }
checks:
  coverage: { type: coverage, min: 85 }
  unit: { type: tests }
  eval: { type: score, min: 0.8 }
checklists:
  pre: { confirmedBy: ops, items: [a, b] }
windows:
  night: { timezone: America/Sao_Paulo, days: [thu], start: "02:00", end: "04:00" }
freezes:
  - { reason: black friday, timezone: America/Sao_Paulo, from: "2026-11-27", to: "2026-11-30" }
waivers: { approvedBy: owner }
environments:
  - name: staging
    tier: staging
  - name: production
    tier: production
    promotion: { minBake: 1h }
    gates:
      checks: [coverage, unit, eval]
      approvals: { roles: [po, qa], ttl: 24h }
      checklists: [pre]
      windows: [night]
      rollbackPlan: true
`;

function policy(): CompiledPolicy {
  const result = validatePolicyText('p.yaml', POLICY);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const release: ReleaseRecord = {
  version: '1.4.0',
  commit: 'abcdef1',
  owner: 'olga',
  createdBy: 'olga',
  createdAt: '2026-11-20T00:00:00.000Z',
  artifacts: [
    { component: 'api', ref: 'ghcr.io/acme/api:1.4.0', digest: `sha256:${'a'.repeat(64)}` },
  ],
  contentDigest: 'sha256:x',
};
const previous: ReleaseRecord = { ...release, version: '1.3.0' };
const INSIDE_WINDOW = new Date('2026-11-26T05:30:00Z'); // Thursday 02:30 in São Paulo

function approval(
  actor: string,
  at: string,
  decision: 'approve' | 'reject' = 'approve',
  role?: string,
): ApprovalRecord {
  return {
    id: `a-${actor}`,
    release: '1.4.0',
    environment: 'production',
    actor,
    decision,
    createdAt: at,
    ...(role ? { role } : {}),
  };
}

function check(name: string, fields: Partial<CheckRecord>): CheckRecord {
  return {
    id: `c-${name}`,
    release: '1.4.0',
    name,
    status: 'pass',
    reportedBy: 'ci',
    reportedAt: '2026-11-25T00:00:00.000Z',
    ...fields,
  };
}

function allGreen(): GateInputs {
  return {
    release,
    checks: [
      check('coverage', {
        evidence: {
          sha256: 'x',
          format: 'lcov',
          fileName: 'lcov.info',
          size: 1,
          summary: { linesFound: 100, linesHit: 90, lineCoverage: 90 },
        },
      }),
      check('unit', {
        evidence: {
          sha256: 'y',
          format: 'junit',
          fileName: 'junit.xml',
          size: 1,
          summary: { tests: 10, failures: 0, errors: 0, skipped: 0, passed: 10 },
        },
      }),
      check('eval', { value: 0.86 }),
    ],
    approvals: [
      approval('ana', '2026-11-26T01:00:00.000Z'),
      approval('caio', '2026-11-26T01:00:00.000Z'),
    ],
    waivers: [],
    confirmations: ['a', 'b'].map((item) => ({
      id: item,
      release: '1.4.0',
      environment: 'production',
      checklist: 'pre',
      item,
      actor: 'davi',
      role: 'ops',
      confirmedAt: '2026-11-26T01:00:00.000Z',
    })),
    openBlockers: [],
    releaseDeployments: [
      {
        id: 'd1',
        release: '1.4.0',
        environment: 'staging',
        status: 'succeeded',
        requestedBy: 'edu',
        createdAt: '2026-11-25T00:00:00.000Z',
        finishedAt: '2026-11-25T00:10:00.000Z',
        origin: 'recorded',
      },
    ],
    previousRelease: previous,
    now: INSIDE_WINDOW,
  };
}

function statusOf(inputs: GateInputs): Record<string, string> {
  return Object.fromEntries(
    evaluateGates(policy(), policy().environments[1]!, inputs).map((g) => [g.name, g.status]),
  );
}

describe('gates', () => {
  it('all pass with evidence, quorum, checklist, promotion, window and rollback plan', () => {
    const results = evaluateGates(policy(), policy().environments[1]!, allGreen());
    expect(results.map((g) => [g.name, g.status])).toEqual([
      ['promotion', 'pass'],
      ['check:coverage', 'pass'],
      ['check:unit', 'pass'],
      ['check:eval', 'pass'],
      ['rollback-plan', 'pass'],
      ['blockers', 'pass'],
      ['window', 'pass'],
      ['checklist:pre', 'pass'],
      ['approvals', 'pass'],
    ]);
    expect(gatesPass(results)).toBe(true);
  });

  it('reads coverage from evidence and fails below the threshold', () => {
    const inputs = allGreen();
    const low = {
      ...inputs,
      checks: [
        check('coverage', {
          value: 99,
          evidence: {
            sha256: 'x',
            format: 'lcov' as const,
            fileName: 'lcov.info',
            size: 1,
            summary: { lineCoverage: 84.99 },
          },
        }),
        ...inputs.checks.slice(1),
      ],
    };
    const result = evaluateGates(policy(), policy().environments[1]!, low).find(
      (g) => g.name === 'check:coverage',
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'line coverage 84.99% < 85%' });
  });

  it('one person fills one role: ana holds po and qa but counts once', () => {
    const inputs = { ...allGreen(), approvals: [approval('ana', '2026-11-26T01:00:00.000Z')] };
    expect(statusOf(inputs)['approvals']).toBe('pending');
    const both = {
      ...allGreen(),
      approvals: [
        approval('ana', '2026-11-26T01:00:00.000Z'),
        approval('bia', '2026-11-26T01:00:00.000Z'),
      ],
    };
    expect(statusOf(both)['approvals']).toBe('pass'); // bia as po, ana as qa
  });

  it('never counts the owner or the requester, and expires approvals after the TTL', () => {
    const requester = { ...allGreen(), requester: 'caio' };
    expect(statusOf(requester)['approvals']).toBe('pending');
    const stale = { ...allGreen(), now: new Date('2026-11-27T05:30:00Z') };
    const approvals = evaluateGates(policy(), policy().environments[1]!, stale).find(
      (g) => g.name === 'approvals',
    );
    expect(approvals?.reason).toContain('expired');
  });

  it('a rejection ends the quorum', () => {
    const inputs = {
      ...allGreen(),
      approvals: [...allGreen().approvals, approval('bia', '2026-11-26T01:30:00.000Z', 'reject')],
    };
    expect(statusOf(inputs)['approvals']).toBe('fail');
  });

  it('waits for the bake time, and refuses outside the window and inside a freeze', () => {
    expect(statusOf({ ...allGreen(), now: new Date('2026-11-25T00:30:00Z') })['promotion']).toBe(
      'pending',
    );
    expect(statusOf({ ...allGreen(), now: new Date('2026-11-26T08:00:00Z') })['window']).toBe(
      'fail',
    );
    const frozen = evaluateGates(policy(), policy().environments[1]!, {
      ...allGreen(),
      now: new Date('2026-11-27T05:30:00Z'),
    }).find((g) => g.name === 'window');
    expect(frozen).toMatchObject({ status: 'fail' });
    expect(frozen?.reason).toContain('black friday');
  });

  it('applies only approved, unexpired waivers, and never to approvals or blockers', () => {
    const base = { ...allGreen(), previousRelease: undefined };
    expect(statusOf(base)['rollback-plan']).toBe('fail');
    const waiver = {
      id: 'w1',
      release: '1.4.0',
      environment: 'production',
      gate: 'rollback-plan',
      justification: 'first release',
      risk: 'no rollback target',
      requestedBy: 'edu',
      requestedAt: '2026-11-25T00:00:00.000Z',
    };
    expect(statusOf({ ...base, waivers: [waiver] })['rollback-plan']).toBe('fail');
    expect(
      statusOf({
        ...base,
        waivers: [{ ...waiver, approvedBy: 'otto', approvedAt: '2026-11-25T01:00:00.000Z' }],
      })['rollback-plan'],
    ).toBe('waived');
    expect(
      statusOf({
        ...base,
        waivers: [{ ...waiver, approvedBy: 'otto', expiresAt: '2026-11-26T00:00:00.000Z' }],
      })['rollback-plan'],
    ).toBe('fail');
    const approvalsWaiver = { ...waiver, gate: 'approvals', approvedBy: 'otto' };
    expect(
      statusOf({ ...allGreen(), approvals: [], waivers: [approvalsWaiver] })['approvals'],
    ).toBe('pending');
  });

  it('an open blocker fails the gate until resolved', () => {
    const blocked = {
      ...allGreen(),
      openBlockers: [
        {
          id: 'b1',
          environment: 'production',
          reason: 'leaked key',
          createdBy: 'edu',
          createdAt: '2026-11-25T00:00:00.000Z',
        },
      ],
    };
    expect(statusOf(blocked)['blockers']).toBe('fail');
  });
});

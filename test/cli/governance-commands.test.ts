import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './run-cli.js';

const POLICY = `
version: 1
project: { name: shop, owners: [olga, otto] }
roles:
  reviewer: { members: [rita, raul] }
  ops: { members: [davi, edu] }
components:
  api: { kind: service, artifact: { image: ghcr.io/acme/api } }
  web: { kind: frontend, artifact: { image: ghcr.io/acme/web, allowMutableTag: true } }
checks:
  unit: { type: tests }
  coverage: { type: coverage, min: 85 }
checklists:
  pre: { confirmedBy: ops, items: [changelog reviewed, migrations reviewed] }
waivers: { approvedBy: reviewer }
environments:
  - name: staging
    tier: staging
  - name: production
    tier: production
    gates:
      checks: [unit, coverage]
      checklists: [pre]
      approvals: { roles: [reviewer, ops] }
      rollbackPlan: true
`;

const DIGEST = `sha256:${'ab'.repeat(32)}`;
let home: string;
const cli = (actor: string, ...argv: string[]): Promise<CliResult> =>
  runCli(argv, {
    cwd: home,
    env: { ECLUSA_HOME: home, ECLUSA_POLICY: join(home, 'eclusa.yaml'), ECLUSA_ACTOR: actor },
  });
const create = (version = '1.0.0', extra: string[] = []): Promise<CliResult> =>
  cli(
    'olga',
    'release',
    'create',
    '--version',
    version,
    '--commit',
    'c0ffee1',
    '--artifact',
    `api=ghcr.io/acme/api:${version}@${DIGEST}`,
    ...extra,
  );

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eclusa-gov-'));
  writeFileSync(join(home, 'eclusa.yaml'), POLICY);
});

describe('releases are immutable and pinned by digest', () => {
  it('creates once, accepts the identical content again, refuses a change', async () => {
    expect((await create()).code).toBe(0);
    const again = await create();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    const changed = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee2',
      '--artifact',
      `api=ghcr.io/acme/api:1.0.0@${DIGEST}`,
    );
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain('RELEASE_IMMUTABLE');
    expect(changed.stderr).toContain('commit');
    const shown = JSON.parse((await cli('olga', 'release', 'show', '1.0.0', '--json')).stdout) as {
      owner: string;
      artifacts: unknown[];
    };
    expect(shown.owner).toBe('olga');
    expect(shown.artifacts).toEqual([
      { component: 'api', ref: 'ghcr.io/acme/api:1.0.0', digest: DIGEST },
    ]);
  });

  it('refuses a malformed digest (2) and a mutable tag (3) unless the policy allows it', async () => {
    const malformed = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee1',
      '--artifact',
      'api=ghcr.io/acme/api:1.0.0@sha256:xyz',
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('INVALID_DIGEST');
    const mutable = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee1',
      '--artifact',
      'api=ghcr.io/acme/api:latest',
    );
    expect(mutable.code).toBe(3);
    expect(mutable.stderr).toContain('MUTABLE_ARTIFACT');
    expect((await create('1.0.0', ['--artifact', 'web=ghcr.io/acme/web:latest'])).code).toBe(0);
  });

  it('names the known releases and environments when one is unknown', async () => {
    await create();
    const release = await cli('olga', 'gates', '--release', '9.9.9', '--env', 'production');
    expect(release.code).toBe(2);
    expect(release.stderr).toContain('known releases (newest first): 1.0.0');
    const env = await cli('olga', 'gates', '--release', '1.0.0', '--env', 'prod');
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('known environments: staging, production');
  });
});

describe('checks read their evidence', () => {
  it('stores facts from the file and names the line of a broken one', async () => {
    await create();
    writeFileSync(
      join(home, 'junit.xml'),
      '<testsuite tests="2" failures="1"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>',
    );
    const failed = await cli(
      'ci',
      'check',
      'report',
      '--release',
      '1.0.0',
      '--check',
      'unit',
      '--status',
      'fail',
      '--evidence',
      'junit.xml',
      '--json',
    );
    expect(failed.code, failed.stderr).toBe(0);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      evidence: { format: 'junit', summary: { tests: 2, failures: 1 } },
    });
    writeFileSync(
      join(home, 'coverage.xml'),
      '<?xml version="1.0"?>\n<coverage line-rate="0.9">\n<packages>\n<package>\n',
    );
    const broken = await cli(
      'ci',
      'check',
      'report',
      '--release',
      '1.0.0',
      '--check',
      'coverage',
      '--status',
      'pass',
      '--evidence',
      'coverage.xml',
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/coverage\.xml: Cobertura XML is malformed at line \d+/);
    const gates = JSON.parse(
      (await cli('ci', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string; reason: string }[] };
    expect(gates.gates.find((g) => g.name === 'check:unit')).toMatchObject({ status: 'fail' });
    expect(gates.gates.find((g) => g.name === 'check:coverage')).toMatchObject({
      status: 'pending',
    });
  });
});

describe('four-eyes', () => {
  it('refuses the owner, a second decision, someone outside the roles; a rejection ends the quorum', async () => {
    await create();
    expect((await cli('olga', 'approve', '--release', '1.0.0', '--env', 'production')).code).toBe(
      3,
    );
    expect(
      (await cli('zeca', 'approve', '--release', '1.0.0', '--env', 'production')).stderr,
    ).toContain('NOT_IN_ROLE');
    expect(
      (await cli('rita', 'approve', '--release', '1.0.0', '--env', 'production', '--role', 'ops'))
        .code,
    ).toBe(3);
    expect(
      (
        await cli(
          'rita',
          'approve',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--role',
          'reviewer',
        )
      ).code,
    ).toBe(0);
    const twice = await cli('rita', 'approve', '--release', '1.0.0', '--env', 'production');
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain('ALREADY_DECIDED');
    expect((await cli('davi', 'approve', '--release', '1.0.0', '--env', 'production')).code).toBe(
      0,
    );
    const asRequester = JSON.parse(
      (
        await cli(
          'x',
          'gates',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--requester',
          'davi',
          '--json',
        )
      ).stdout,
    ) as { gates: { name: string; status: string }[] };
    expect(asRequester.gates.find((g) => g.name === 'approvals')?.status).toBe('pending');
    const approved = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string }[] };
    expect(approved.gates.find((g) => g.name === 'approvals')?.status).toBe('pass');
    expect(
      (
        await cli(
          'edu',
          'reject',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--comment',
          'load test missing',
        )
      ).code,
    ).toBe(0);
    const rejected = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string; reason: string }[] };
    expect(rejected.gates.find((g) => g.name === 'approvals')).toMatchObject({
      status: 'fail',
      reason: 'rejected by edu: load test missing',
    });
  });

  it('checklists are confirmed by their role; waivers are approved by the technical owner, never the requester', async () => {
    await create();
    expect(
      (
        await cli(
          'rita',
          'checklist',
          'confirm',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--checklist',
          'pre',
          '--all',
        )
      ).code,
    ).toBe(3);
    expect(
      (
        await cli(
          'davi',
          'checklist',
          'confirm',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--checklist',
          'pre',
          '--item',
          '1',
        )
      ).code,
    ).toBe(0);
    const half = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string; reason: string }[] };
    expect(half.gates.find((g) => g.name === 'checklist:pre')).toMatchObject({
      status: 'pending',
      reason: '1/2 confirmed by ops; open: migrations reviewed',
    });

    const request = await cli(
      'raul',
      'waiver',
      'request',
      '--release',
      '1.0.0',
      '--env',
      'production',
      '--gate',
      'rollback-plan',
      '--justification',
      'first release',
      '--risk',
      'nothing to roll back to',
      '--json',
    );
    expect(request.code, request.stderr).toBe(0);
    const id = (JSON.parse(request.stdout) as { id: string }).id;
    expect((await cli('raul', 'waiver', 'approve', id)).stderr).toContain('SELF_APPROVAL');
    expect((await cli('davi', 'waiver', 'approve', id)).stderr).toContain('NOT_IN_ROLE');
    expect((await cli('rita', 'waiver', 'approve', id)).code).toBe(0);
    const waived = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string; reason: string }[] };
    expect(waived.gates.find((g) => g.name === 'rollback-plan')?.status).toBe('waived');
    expect(
      (
        await cli(
          'rita',
          'waiver',
          'request',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--gate',
          'approvals',
          '--justification',
          'x',
          '--risk',
          'y',
        )
      ).code,
    ).toBe(3);
  });

  it('a blocker holds until someone else resolves it', async () => {
    await create();
    expect(
      (await cli('edu', 'block', '--env', 'production', '--reason', 'DB password leaked in a log'))
        .code,
    ).toBe(0);
    expect((await cli('edu', 'unblock', '--env', 'production')).stderr).toContain('SELF_UNBLOCK');
    const blocked = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string }[] };
    expect(blocked.gates.find((g) => g.name === 'blockers')?.status).toBe('fail');
    expect(
      (await cli('davi', 'unblock', '--env', 'production', '--resolution', 'rotated')).code,
    ).toBe(0);
    const open = JSON.parse(
      (await cli('x', 'gates', '--release', '1.0.0', '--env', 'production', '--json')).stdout,
    ) as { gates: { name: string; status: string }[] };
    expect(open.gates.find((g) => g.name === 'blockers')?.status).toBe('pass');
  });
});

describe('the audit trail', () => {
  it('records every change, redacts secrets, and verifies', async () => {
    await create();
    await cli(
      'rita',
      'approve',
      '--release',
      '1.0.0',
      '--env',
      'production',
      '--comment',
      'ok, token ghp_abcdefghijklmnopqrstuvwxyz0123456789 rotated',
    );
    const log = await cli('x', 'audit', 'log', '--json');
    const events = log.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            kind: string;
            actor: { id: string; authenticated: boolean };
            data: Record<string, unknown>;
          },
      );
    expect(events.map((e) => e.kind)).toEqual(['release.created', 'approval.granted']);
    expect(events[1]?.actor).toEqual({ id: 'rita', authenticated: false });
    expect(log.stdout).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    const verified = await cli('x', 'audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('audit log intact: 2 event(s)');
  });
});

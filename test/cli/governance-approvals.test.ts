import { beforeEach, describe, expect, it } from 'vitest';
import { cli, create, freshHome, productionGates } from './governance-fixture.js';

beforeEach(() => {
  freshHome();
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
    const approved = await productionGates('x');
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
    const rejected = await productionGates('x');
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
    const half = await productionGates('x');
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
    const waived = await productionGates('x');
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
    const blocked = await productionGates('x');
    expect(blocked.gates.find((g) => g.name === 'blockers')?.status).toBe('fail');
    expect(
      (await cli('davi', 'unblock', '--env', 'production', '--resolution', 'rotated')).code,
    ).toBe(0);
    const open = await productionGates('x');
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

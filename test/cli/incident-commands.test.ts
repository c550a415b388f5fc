import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const POLICY = `version: 1
project: { name: shop, owners: [ana] }
components:
  api: { kind: service, artifact: { image: ghcr.io/shop/api } }
environments:
  - name: staging
    tier: staging
    promotion: { from: none }
    rollback:
      automatic: true
      actions: [{ kind: command, run: "true", name: put the previous version back }]
    pipeline:
      - { kind: command, run: "echo migrating; exit 3", id: migrate-data }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('incident commands', () => {
  it('a rollback opens an incident shown by deploy, status, deployment show, evidence and incident list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eclusa-incident-cli-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'eclusa.yaml'), POLICY);
    const env = { ECLUSA_HOME: join(dir, '.eclusa'), ECLUSA_ACTOR: 'carla' };
    const run = (...args: string[]) => runCli(args, { cwd: dir, env });
    const json = async <T>(...args: string[]): Promise<T> => {
      const result = await run(...args, '--json');
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    const created = await run(
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'abcdef1',
      '--artifact',
      `api=ghcr.io/shop/api@sha256:${'a'.repeat(64)}`,
    );
    expect(created.code, created.stderr).toBe(0);

    const deployed = await run('deploy', '--release', '1.0.0', '--env', 'staging', '--wait');
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(4);
    const line = /! incident (inc_\w+) \(p2\) opened: (.*)/.exec(deployed.stdout);
    expect(line, deployed.stdout).not.toBeNull();
    const id = line![1]!;
    expect(line![2]).toContain('exit code 3');

    const status = await json<{
      environments: { name: string; incidents: { id: string; status: string }[] }[];
    }>('status');
    expect(status.environments[0]?.incidents).toMatchObject([{ id, status: 'open' }]);
    const text = await run('status');
    expect(text.stdout).toContain(`incident ${id} p2 open`);

    const list = await json<{ incidents: { id: string; deploymentId: string }[] }>(
      'incident',
      'list',
      '--env',
      'staging',
    );
    expect(list.incidents.map((i) => i.id)).toEqual([id]);
    const deployment = list.incidents[0]!.deploymentId;

    const shown = await json<{ status: string; incidents: { id: string; trigger: string }[] }>(
      'deployment',
      'show',
      deployment,
    );
    expect(shown).toMatchObject({
      status: 'rolled_back',
      incidents: [{ id, trigger: 'step-failed' }],
    });
    const evidence = await run('evidence', deployment, '--format', 'md');
    expect(evidence.stdout).toMatch(new RegExp(`## Incident\\n\\n[^]*${id} \\| p2 \\| open`));
    expect(evidence.stdout).toContain('incident.opened');
    const html = await run('evidence', deployment, '--format', 'html');
    expect(html.stdout).toContain(`<h2>Incident</h2><table>`);

    expect((await run('incident', 'ack', id)).code).toBe(0);
    const again = await run('incident', 'ack', id, '--json');
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT_ALREADY_ACKNOWLEDGED' },
    });
    const resolved = await json<{ status: string; resolution: string }>(
      'incident',
      'resolve',
      id,
      '--resolution',
      'migration fixed in 1.0.1',
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'migration fixed in 1.0.1' });
    expect((await run('incident', 'list')).stdout.trim()).toBe('no open incident');
    expect((await run('incident', 'resolve', 'inc_nope')).code).toBe(2);
    expect((await run('audit', 'verify')).code).toBe(0);
  });
});

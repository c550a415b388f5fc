import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';
import { sampleAppComponent } from '../support/sample-app-component.js';
import { stopEnvironments } from '../support/stop-environments.js';

// The step kinds that touch processes and traffic, on the real process target and builtin
// router: killed at each point, resumed by another eclusa process.
function policy(port: number): string {
  return `version: 1
project: { name: shop, owners: [ana] }
components:
${sampleAppComponent('10s')}
environments:
  - name: staging
    tier: staging
    promotion: { from: none }
    strategy: { type: blue-green, keepPrevious: 0s }
    router: { type: builtin, listen: ${port} }
    verify:
      health: { type: http, url: "{url}/health", expect: { status: 200 } }
    rollback: { automatic: true }
    pipeline:
      - { kind: maintenance, mode: on, id: maintenance-on }
      - { kind: deploy, components: [api], id: deploy }
      - { kind: verify, against: new, id: verify-green }
      - { kind: rollout, id: rollout }
      - { kind: maintenance, mode: off, id: maintenance-off }
`;
}

const CASES = [
  'maintenance-on',
  'deploy',
  'verify-green',
  'rollout-switch',
  'maintenance-off',
].flatMap((step) => (['started', 'acted', 'finished'] as const).map((point) => `${step}:${point}`));

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await stopEnvironments(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function project(): Promise<{ dir: string; env: NodeJS.ProcessEnv; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-crash-bg-'));
  dirs.push(dir);
  const port = await freePort();
  mkdirSync(join(dir, 'releases'));
  for (const v of ['1.0.0', '2.0.0'])
    writeFileSync(join(dir, 'releases', `${v}.env`), `APP_VERSION=${v}\n`);
  writeFileSync(join(dir, 'eclusa.yaml'), policy(port));
  const env = { ECLUSA_HOME: join(dir, '.eclusa'), ECLUSA_ACTOR: 'carla', ECLUSA_LEASE_MS: '400' };
  for (const [v, d] of [
    ['1.0.0', 'a'],
    ['2.0.0', 'b'],
  ] as const) {
    const created = runBin(
      [
        'release',
        'create',
        '--version',
        v,
        '--commit',
        'abcdef1',
        '--artifact',
        `api=ghcr.io/shop/api@sha256:${d.repeat(64)}`,
      ],
      { cwd: dir, env },
    );
    expect(created.code, created.stderr).toBe(0);
  }
  const first = runBin(['deploy', '--release', '1.0.0', '--env', 'staging', '--wait'], {
    cwd: dir,
    env,
  });
  expect(first.code, first.stdout + first.stderr).toBe(0);
  return { dir, env, port };
}

describe('blue/green survives kill -9 of eclusa at every step and point (real processes)', () => {
  for (const at of CASES) {
    it(`killed at ${at}: another process finishes it, 2.0.0 serves, the audit log is intact`, async () => {
      const { dir, env, port } = await project();
      const killed = runBin(['deploy', '--release', '2.0.0', '--env', 'staging', '--wait'], {
        cwd: dir,
        env: { ...env, ECLUSA_FAULT_KILL_AT: at },
      });
      expect(killed.code).toBe(-1);
      const id = /^(dep_\S+):/m.exec(killed.stdout)?.[1];
      expect(id).toBeDefined();
      const resumed = runBin(['deployment', 'run', id!], { cwd: dir, env });
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      const version = (await (await fetch(`http://127.0.0.1:${port}/version`)).json()) as {
        version: string;
      };
      expect(version.version).toBe('2.0.0');
      const shown = JSON.parse(
        runBin(['deployment', 'show', id!, '--json'], { cwd: dir, env }).stdout,
      ) as { status: string; steps: { status: string }[] };
      expect(shown.status).toBe('succeeded');
      expect(shown.steps.every((s) => s.status === 'succeeded')).toBe(true);
      expect(runBin(['audit', 'verify'], { cwd: dir, env }).code).toBe(0);
      const status = JSON.parse(runBin(['status', '--json'], { cwd: dir, env }).stdout) as {
        environments: { components: Record<string, { version: string }> }[];
      };
      expect(status.environments[0]?.components['api']?.version).toBe('2.0.0');
      await stopEnvironments(dir);
    }, 60_000);
  }
});

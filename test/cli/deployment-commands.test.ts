import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from './run-cli.js';

const POLICY = `version: 1
project: { name: shop, owners: [ana] }
roles:
  reviewer: { members: [ana] }
components:
  api: { kind: service, artifact: { image: ghcr.io/shop/api } }
environments:
  - name: staging
    tier: staging
    promotion: { from: none }
    pipeline:
      - { kind: command, run: "echo token=\${env:DEPLOY_TOKEN} for {version}", id: announce }
      - { kind: bake, duration: BAKE, id: bake }
  - name: production
    tier: production
    gates:
      approvals: { roles: [reviewer] }
    pipeline:
      - { kind: command, run: "true", id: noop }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(bake = '1s'): {
  dir: string;
  env: NodeJS.ProcessEnv;
  run: (...args: string[]) => ReturnType<typeof runBin>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-deploy-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'eclusa.yaml'), POLICY.replace('BAKE', bake));
  const env = {
    ECLUSA_HOME: join(dir, '.eclusa'),
    ECLUSA_ACTOR: 'carla',
    DEPLOY_TOKEN: 'tok-9f8e7d6c5b',
    ECLUSA_LEASE_MS: '1000',
  };
  const run = (...args: string[]) => runBin(args, { cwd: dir, env });
  expect(
    run(
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'abcdef1',
      '--artifact',
      `api=ghcr.io/shop/api@sha256:${'a'.repeat(64)}`,
    ).code,
  ).toBe(0);
  return { dir, env, run };
}

async function until<T>(read: () => T, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('deployment commands (real processes)', () => {
  it('deploy --wait --json gives the contract shape; evidence renders without the secret', () => {
    const { run } = project();
    const deployed = run('deploy', '--release', '1.0.0', '--env', 'staging', '--wait', '--json');
    expect(deployed.code, deployed.stderr).toBe(0);
    // stdout is the one document; the progress went to stderr as JSON lines.
    const progress = deployed.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string });
    expect(progress.map((e) => e.event)).toContain('step-started');
    expect(progress.at(-1)?.event).toBe('finished');
    const body = JSON.parse(deployed.stdout) as {
      id: string;
      status: string;
      steps: { id: string; kind: string; status: string; startedAt: string; finishedAt: string }[];
    };
    expect(body.status).toBe('succeeded');
    expect(body.steps.map((s) => `${s.kind}:${s.status}`)).toEqual([
      'gate:succeeded',
      'command:succeeded',
      'bake:succeeded',
    ]);
    for (const format of ['md', 'html', 'json']) {
      const evidence = run('evidence', body.id, '--format', format);
      expect(evidence.code, evidence.stderr).toBe(0);
      expect(evidence.stdout).toContain('1.0.0');
      expect(evidence.stdout).toContain('deployment.step.finished');
      expect(evidence.stdout).not.toContain('tok-9f8e7d6c5b');
    }
    expect(deployed.stdout + deployed.stderr).not.toContain('tok-9f8e7d6c5b');
    expect(run('audit', 'log', '--json').stdout).not.toContain('tok-9f8e7d6c5b');
  });

  it('refuses a deploy the gates refuse, with exit 3 and the failing gate named', () => {
    const { run } = project();
    const refused = run('deploy', '--release', '1.0.0', '--env', 'production', '--wait');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/GATES_REFUSED.*approvals/);
    expect(run('deploy', '--release', '9.9.9', '--env', 'staging').code).toBe(2);
    expect(run('deploy', '--release', '1.0.0', '--env', 'nowhere').code).toBe(2);
  });

  it('runs a deploy in the background, queues a second one, pauses, resumes and aborts', async () => {
    const { run } = project('8s');
    const first = JSON.parse(
      run('deploy', '--release', '1.0.0', '--env', 'staging', '--json').stdout,
    ) as { id: string };
    const second = JSON.parse(
      run('deploy', '--release', '1.0.0', '--env', 'staging', '--json').stdout,
    ) as { id: string };
    const show = (id: string) =>
      JSON.parse(run('deployment', 'show', id, '--json').stdout) as { status: string };
    expect(
      (
        await until(
          () => show(first.id),
          (d) => d.status === 'running',
        )
      ).status,
    ).toBe('running');
    expect(show(second.id).status).toBe('queued');
    expect(run('deployment', 'pause', first.id).code).toBe(0);
    expect(
      (
        await until(
          () => show(first.id),
          (d) => d.status === 'paused',
        )
      ).status,
    ).toBe('paused');
    expect(show(second.id).status).toBe('queued');
    expect(run('deployment', 'resume', first.id).code).toBe(0);
    expect(
      (
        await until(
          () => show(first.id),
          (d) => d.status === 'succeeded',
        )
      ).status,
    ).toBe('succeeded');
    expect(
      (
        await until(
          () => show(second.id),
          (d) => d.status === 'running',
        )
      ).status,
    ).toBe('running');
    expect(run('deployment', 'abort', second.id, '--reason', 'wrong build').code).toBe(0);
    const aborted = await until(
      () => show(second.id),
      (d) => d.status === 'aborted',
    );
    expect(aborted.status).toBe('aborted');
    expect(run('deployment', 'abort', second.id).code).toBe(3);
    expect(run('audit', 'verify').code).toBe(0);
  }, 90_000);
});

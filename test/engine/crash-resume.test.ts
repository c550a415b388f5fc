import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';

// Every step kind that runs without a target or router here; the blue/green kinds (deploy,
// traffic, verify, maintenance) are crashed in test/engine/crash-blue-green.test.ts.
const POLICY = `version: 1
project: { name: shop, owners: [ana] }
components:
  api: { kind: service, artifact: { image: ghcr.io/shop/api } }
flags:
  new-checkout: { default: false }
environments:
  - name: staging
    tier: staging
    promotion: { from: none }
    rollback: { automatic: true }
    pipeline:
      - { kind: command, run: "echo migrating {version} >> work.log", id: prepare }
      - { kind: flag, flag: new-checkout, set: on, id: flag-on }
      - { kind: bake, duration: 1s, id: bake }
      - { kind: cache, action: purge, provider: command, run: "echo purge {paths} >> work.log", paths: [/index.html], id: purge }
      - { kind: notify, message: "released", id: tell }
`;

const STEPS = ['prepare', 'flag-on', 'bake', 'purge', 'tell'];
const POINTS = ['started', 'acted', 'finished'] as const;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-crash-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'eclusa.yaml'), POLICY);
  const env = { ECLUSA_HOME: join(dir, '.eclusa'), ECLUSA_ACTOR: 'carla', ECLUSA_LEASE_MS: '400' };
  const created = runBin(
    [
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'abcdef1',
      '--artifact',
      `api=ghcr.io/shop/api@sha256:${'a'.repeat(64)}`,
    ],
    { cwd: dir, env },
  );
  expect(created.code, created.stderr).toBe(0);
  return { dir, env };
}

function finalSteps(
  dir: string,
  env: NodeJS.ProcessEnv,
  id: string,
): { status: string; steps: string[] } {
  const shown = runBin(['deployment', 'show', id, '--json'], { cwd: dir, env });
  const body = JSON.parse(shown.stdout) as {
    status: string;
    steps: { id: string; status: string }[];
  };
  return { status: body.status, steps: body.steps.map((s) => `${s.id}:${s.status}`) };
}

describe('a deployment survives kill -9 of eclusa at every step and point (real processes)', () => {
  const reference = (() => {
    let result: { status: string; steps: string[] } | undefined;
    return () => {
      if (result) return result;
      const { dir, env } = project();
      const run = runBin(['deploy', '--release', '1.0.0', '--env', 'staging', '--wait'], {
        cwd: dir,
        env,
      });
      expect(run.code, run.stderr).toBe(0);
      const id = /^(dep_\S+):/m.exec(run.stdout)?.[1] ?? '';
      result = finalSteps(dir, env, id);
      return result;
    };
  })();

  for (const step of STEPS) {
    for (const point of POINTS) {
      it(`killed at ${step}:${point}, resumed by another process, ends as an uninterrupted run`, () => {
        const { dir, env } = project();
        const killed = runBin(['deploy', '--release', '1.0.0', '--env', 'staging', '--wait'], {
          cwd: dir,
          env: { ...env, ECLUSA_FAULT_KILL_AT: `${step}:${point}` },
        });
        expect(killed.code).toBe(-1);
        const id = /^(dep_\S+):/m.exec(killed.stdout)?.[1];
        expect(id).toBeDefined();
        const resumed = runBin(['deployment', 'run', id!], { cwd: dir, env });
        expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
        expect(finalSteps(dir, env, id!)).toEqual(reference());
        const verify = runBin(['audit', 'verify'], { cwd: dir, env });
        expect(verify.code, verify.stdout).toBe(0);
      });
    }
  }
});

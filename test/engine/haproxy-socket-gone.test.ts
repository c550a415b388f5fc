import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';
import { countVersions } from '../support/http-client.js';
import { sampleAppComponent } from '../support/sample-app-component.js';
import { stopEnvironments } from '../support/stop-environments.js';
import { findSystemBinary } from '../support/system-binary.js';

const found = findSystemBinary('haproxy', 'haproxy');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await stopEnvironments(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf('skip' in found)(
  'a canary step when HAProxy’s admin socket is gone (real HAProxy)',
  () => {
    it('fails the step with the reason, rolls back, and traffic stays on the stable version', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eclusa-socket-gone-'));
      dirs.push(dir);
      const port = await freePort();
      mkdirSync(join(dir, 'releases'));
      for (const v of ['1.0.0', '2.0.0'])
        writeFileSync(join(dir, 'releases', `${v}.env`), `APP_VERSION=${v}\n`);
      writeFileSync(
        join(dir, 'eclusa.yaml'),
        `version: 1
project: { name: shop, owners: [ana] }
components:
${sampleAppComponent()}
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      keepPrevious: 0s
      steps:
        - { weight: 10, pause: 1s }
        - { weight: 100 }
    router: { type: haproxy, manage: true, listen: ${port}, binary: ${'path' in found ? found.path : 'haproxy'} }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
`,
      );
      const env = { ECLUSA_HOME: join(dir, '.eclusa'), ECLUSA_ACTOR: 'carla' };
      const cli = (argv: string[]) => runBin(argv, { cwd: dir, env });
      for (const [v, d] of [
        ['1.0.0', 'a'],
        ['2.0.0', 'b'],
      ] as const) {
        const release = cli([
          'release',
          'create',
          '--version',
          v,
          '--commit',
          'abcdef1',
          '--artifact',
          `api=ghcr.io/shop/api@sha256:${d.repeat(64)}`,
        ]);
        expect(release.code, release.stderr).toBe(0);
      }
      const first = cli(['deploy', '--release', '1.0.0', '--env', 'production', '--wait']);
      expect(first.code, first.stderr).toBe(0);
      const url = `http://127.0.0.1:${port}`;
      expect(await countVersions(url, 10)).toEqual(new Map([['1.0.0', 10]]));

      // HAProxy keeps serving, but nobody can change its weights any more.
      const routerDir = join(dir, '.eclusa', 'routers', 'production');
      const pid = readFileSync(join(routerDir, 'haproxy.pid'), 'utf8').trim();
      rmSync(join(routerDir, 'admin.sock'));

      const second = cli([
        'deploy',
        '--release',
        '2.0.0',
        '--env',
        'production',
        '--wait',
        '--json',
      ]);
      // The traffic step changed nothing and says why; the rollback cannot confirm the route
      // through the same socket either, so the run stops for a person (exit 5), not "rolled back".
      expect(second.code, second.stderr).toBe(5);
      const run = JSON.parse(second.stdout.slice(second.stdout.lastIndexOf('\n{\n') + 1)) as {
        status: string;
        outcome: string;
        rollbackCause: { step: string; message: string };
      };
      expect(run.status).toBe('failed');
      expect(run.rollbackCause).toMatchObject({
        step: 'rollout-1-traffic-10',
        message: expect.stringContaining(`haproxy pid ${pid} runs but its admin socket`) as unknown,
      });
      expect(run.outcome).toContain('blue runs 1.0.0');
      // Not one request reached 2.0.0, and only the one HAProxy runs.
      expect(await countVersions(url, 40)).toEqual(new Map([['1.0.0', 40]]));
      expect(readFileSync(join(routerDir, 'haproxy.pid'), 'utf8').trim()).toBe(pid);
    }, 180_000);
  },
);

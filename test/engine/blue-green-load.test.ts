import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';
import { sampleAppComponent } from '../support/sample-app-component.js';
import { loadLoop } from '../support/load-loop.js';
import { stopEnvironments } from '../support/stop-environments.js';

const BIN = new URL('../../bin/eclusa.js', import.meta.url).pathname;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await stopEnvironments(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function deploy(dir: string, env: NodeJS.ProcessEnv, release: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [BIN, 'deploy', '--release', release, '--env', 'production', '--wait'],
      {
        cwd: dir,
        env: { PATH: process.env['PATH'], ...env },
        stdio: 'ignore',
      },
    );
    child.on('close', (code) => resolve(code ?? -1));
  });
}

describe('a blue/green deployment under load (real processes, bounded, 127.0.0.1)', () => {
  it('switches 1.0.0 → 2.0.0 → 3.0.0 while clients keep asking, and no request is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eclusa-bg-load-'));
    dirs.push(dir);
    const port = await freePort();
    mkdirSync(join(dir, 'releases'));
    for (const v of ['1.0.0', '2.0.0', '3.0.0'])
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
    strategy: { type: blue-green, keepPrevious: 0s }
    router: { type: builtin, listen: ${port} }
    verify:
      health: { type: http, url: "{url}/health", expect: { status: 200 } }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: verify, against: new }
      - { kind: rollout }
      - { kind: verify, against: production, id: verify-live }
`,
    );
    const env = { ECLUSA_HOME: join(dir, '.eclusa'), ECLUSA_ACTOR: 'carla' };
    for (const [v, d] of [
      ['1.0.0', 'a'],
      ['2.0.0', 'b'],
      ['3.0.0', 'c'],
    ] as const) {
      expect(
        runBin(
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
        ).code,
      ).toBe(0);
    }
    expect(await deploy(dir, env, '1.0.0')).toBe(0);

    let deploying = true;
    const load = loadLoop(`http://127.0.0.1:${port}`, {
      clients: 4,
      requests: 400,
      more: () => deploying,
      max: 20_000,
    });
    const codes = [await deploy(dir, env, '2.0.0'), await deploy(dir, env, '3.0.0')];
    deploying = false;
    const result = await load;
    expect(codes).toEqual([0, 0]);
    expect(result.errors).toEqual([]);
    expect([...result.statuses.keys()]).toEqual([200]);
    // The load spanned both switches: it saw the first and the last version.
    expect(result.versions.get('1.0.0') ?? 0).toBeGreaterThan(0);
    expect(result.versions.get('3.0.0') ?? 0).toBeGreaterThan(0);
    console.log(
      `blue/green under load: ${result.sent} requests, versions ${JSON.stringify(Object.fromEntries(result.versions))}, none lost`,
    );
  }, 120_000);
});

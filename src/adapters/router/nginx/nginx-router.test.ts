import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/free-port.js';
import { countVersions, get } from '../../../../test/support/http-client.js';
import { startSampleApp, type SampleApp } from '../../../../test/support/sample-app-process.js';
import { findSystemBinary } from '../../../../test/support/system-binary.js';
import { backendOf, trafficRouterContract } from '../traffic-router-contract.case.js';
import { renderNginxMain } from './nginx-config.js';
import { NginxRouter } from './nginx-router.js';

const found = findSystemBinary('nginx', 'nginx-light');
const homes: string[] = [];

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-nginx-'));
  homes.push(dir);
  return dir;
}

/** A test that dies before its cleanup must not leave an nginx behind. */
function killLeftovers(): void {
  for (const dir of homes) {
    try {
      process.kill(Number(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim()), 'SIGKILL');
    } catch {
      // not running
    }
  }
}
process.once('exit', killLeftovers);

afterAll(() => {
  killLeftovers();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

async function managed(dir = home()): Promise<NginxRouter> {
  return new NginxRouter({
    dir,
    manage: true,
    listen: await freePort(),
    binary: 'path' in found ? found.path : 'nginx',
    upstream: 'eclusa_production',
  });
}

trafficRouterContract(
  'skip' in found
    ? found
    : {
        name: 'nginx',
        switching: 'reload',
        create: async () => ({ router: await managed(), cleanup: () => Promise.resolve() }),
      },
);

describe.skipIf('skip' in found)('nginx router: nginx -t and reloads', () => {
  let stable: SampleApp;
  let canary: SampleApp;

  beforeAll(async () => {
    [stable, canary] = await Promise.all([startSampleApp('1.0.0'), startSampleApp('2.0.0')]);
  });

  afterAll(async () => {
    await Promise.all([stable?.stop(), canary?.stop()]);
  });

  it('keeps the previous configuration when nginx -t refuses, and says nginx’s words', async () => {
    const dir = home();
    const router = await managed(dir);
    const url = (await router.ensure()).url;
    try {
      await router.apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 100,
      });
      const before = readFileSync(join(dir, 'site.conf'), 'utf8');
      const error = await router
        .apply({
          stable: backendOf(stable, 'blue'),
          canary: {
            id: 'typo',
            version: '3.0.0',
            endpoint: { host: 'no-such-host.invalid', port: 80 },
          },
          canaryWeight: 10,
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'NGINX_CONFIG_REJECTED', kind: 'failed' });
      expect((error as Error).message).toMatch(
        /host not found in upstream "no-such-host\.invalid:80"/,
      );
      expect(readFileSync(join(dir, 'site.conf'), 'utf8')).toBe(before);
      expect((await router.state()).route?.canary?.id).toBe('green');
      expect(await countVersions(url, 10)).toEqual(new Map([['2.0.0', 10]]));
    } finally {
      await router.shutdown();
    }
  });

  it('comes back with its route when started again after a stop', async () => {
    const dir = home();
    const router = await managed(dir);
    const url = (await router.ensure()).url;
    try {
      await router.apply({ stable: backendOf(canary, 'green'), canaryWeight: 0 });
      await router.shutdown();
      await expect(get(url)).rejects.toThrow();
      const state = await router.ensure();
      expect(state.route?.stable.id).toBe('green');
      expect(await countVersions(url, 5)).toEqual(new Map([['2.0.0', 5]]));
    } finally {
      await router.shutdown();
    }
  });

  it('renders into the file a team’s own nginx includes, and reloads it with their command', async () => {
    const dir = home();
    const site = join(dir, 'conf.d', 'eclusa-production.conf');
    const main = join(dir, 'nginx.conf');
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(site, '');
    writeFileSync(main, renderNginxMain({ dir, site }));
    const binary = 'path' in found ? found.path : 'nginx';
    for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      mkdirSync(join(dir, 'tmp', kind), { recursive: true });
    }
    execFileSync(binary, ['-c', main, '-e', join(dir, 'error.log')]);
    const port = await freePort();
    const router = new NginxRouter({
      dir: join(dir, 'eclusa'),
      manage: false,
      listen: port,
      binary,
      config: site,
      mainConfig: main,
      upstream: 'eclusa_production',
      reload: `${binary} -c ${main} -e ${join(dir, 'error.log')} -s reload`,
    });
    try {
      await router.apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 100,
      });
      expect(readFileSync(site, 'utf8')).toContain('upstream eclusa_production');
      expect(await countVersions(`http://127.0.0.1:${port}`, 10)).toEqual(new Map([['2.0.0', 10]]));
      await router.shutdown(); // an nginx eclusa does not run keeps running
      expect((await get(`http://127.0.0.1:${port}/version`)).status).toBe(200);
    } finally {
      execFileSync(binary, ['-c', main, '-e', join(dir, 'error.log'), '-s', 'stop']);
    }
  });

  it('refuses a sticky name nginx cannot turn into a variable', async () => {
    const router = await managed();
    await expect(
      router.apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 10,
        sticky: { cookie: 'my-session' },
      }),
    ).rejects.toMatchObject({ code: 'ROUTE_STICKY', kind: 'invalid-input' });
  });
});

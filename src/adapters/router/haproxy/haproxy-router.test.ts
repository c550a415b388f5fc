import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/free-port.js';
import { countVersions, eventually, get } from '../../../../test/support/http-client.js';
import { startSampleApp, type SampleApp } from '../../../../test/support/sample-app-process.js';
import { findSystemBinary } from '../../../../test/support/system-binary.js';
import { isAlive } from '../start-lock.js';
import {
  backendOf,
  trafficRouterContract,
  weightTolerance,
} from '../traffic-router-contract.case.js';
import { maintenanceFrontendLines } from './haproxy-config.js';
import { HaproxyRouter } from './haproxy-router.js';

const found = findSystemBinary('haproxy', 'haproxy');
const homes: string[] = [];
const pidFiles: string[] = [];

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-haproxy-'));
  homes.push(dir);
  pidFiles.push(join(dir, 'haproxy.pid'));
  return dir;
}

/** A test that dies before its cleanup must not leave an HAProxy daemon behind. */
function killLeftovers(): void {
  for (const file of pidFiles) {
    try {
      process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL');
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

async function managed(dir = home()): Promise<HaproxyRouter> {
  return new HaproxyRouter({
    dir,
    manage: true,
    listen: await freePort(),
    binary: 'path' in found ? found.path : 'haproxy',
    backend: 'eclusa_production',
    servers: { stable: 'stable', canary: 'canary' },
  });
}

trafficRouterContract(
  'skip' in found
    ? found
    : {
        name: 'haproxy',
        switching: 'live',
        create: async () => ({ router: await managed(), cleanup: () => Promise.resolve() }),
      },
);

describe.skipIf('skip' in found)('haproxy router: runtime API, restarts and faults', () => {
  let stable: SampleApp;
  let canary: SampleApp;

  beforeAll(async () => {
    [stable, canary] = await Promise.all([startSampleApp('1.0.0'), startSampleApp('2.0.0')]);
  });

  afterAll(async () => {
    await Promise.all([stable?.stop(), canary?.stop()]);
  });

  it('comes back with its route when the HAProxy it runs is killed', async () => {
    const dir = home();
    const router = await managed(dir);
    const url = (await router.ensure()).url;
    try {
      await router.apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 100,
      });
      const pid = Number(readFileSync(join(dir, 'haproxy.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      await eventually(() => Promise.resolve(!isAlive(pid)), 'haproxy to die');
      await expect(router.state()).rejects.toMatchObject({
        code: 'HAPROXY_SOCKET_GONE',
        retryable: true,
      });
      const state = await router.ensure();
      expect(state.route).toMatchObject({ canary: { id: 'green' }, canaryWeight: 100 });
      expect(await countVersions(url, 10)).toEqual(new Map([['2.0.0', 10]]));
    } finally {
      await router.shutdown();
    }
  });

  const haproxyBinary = 'path' in found ? found.path : 'haproxy';
  const canaryRoute = (canaryWeight: number) => ({
    stable: backendOf(stable, 'blue'),
    canary: backendOf(canary, 'green'),
    canaryWeight,
  });

  /** The canary's share of 400 requests is its weight, within a binomial tolerance. */
  async function expectCanaryShare(url: string, weight: number): Promise<void> {
    const counts = await countVersions(url, 400);
    expect((counts.get('1.0.0') ?? 0) + (counts.get('2.0.0') ?? 0)).toBe(400);
    expect(Math.abs((counts.get('2.0.0') ?? 0) - 4 * weight)).toBeLessThanOrEqual(
      weightTolerance(400, weight / 100),
    );
  }

  async function killHaproxy(pidFile: string): Promise<void> {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await eventually(() => Promise.resolve(!isAlive(pid)), 'haproxy to die');
  }

  it('comes back mid-canary with the weights eclusa last set, started by eclusa or from its file', async () => {
    const dir = home();
    const router = await managed(dir);
    const url = (await router.ensure()).url;
    try {
      await router.apply(canaryRoute(10));
      await router.apply(canaryRoute(25));
      await killHaproxy(join(dir, 'haproxy.pid'));
      // Restarted by eclusa: the next adapter call finds it down and starts it.
      expect((await router.ensure()).route).toMatchObject({
        canary: { id: 'green' },
        canaryWeight: 25,
      });
      await expectCanaryShare(url, 25);
      // Restarted by someone else (an init system) from the configuration eclusa rendered:
      // the file holds the live weights, not the ones HAProxy first started with.
      await killHaproxy(join(dir, 'haproxy.pid'));
      execFileSync(haproxyBinary, [
        '-D',
        '-f',
        join(dir, 'haproxy.cfg'),
        '-p',
        join(dir, 'haproxy.pid'),
      ]);
      await expectCanaryShare(url, 25);
      expect((await router.state()).route).toMatchObject({ canaryWeight: 25 });
    } finally {
      await router.shutdown();
    }
  });

  it('refuses to start a second HAProxy beside one whose admin socket is gone', async () => {
    const dir = home();
    const router = await managed(dir);
    const url = (await router.ensure()).url;
    try {
      await router.apply({ stable: backendOf(stable, 'blue'), canaryWeight: 0 });
      const pid = Number(readFileSync(join(dir, 'haproxy.pid'), 'utf8').trim());
      rmSync(join(dir, 'admin.sock'));
      const error = await router.apply(canaryRoute(10)).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'HAPROXY_SOCKET_GONE', retryable: true });
      expect((error as Error).message).toContain(`haproxy pid ${pid} runs`);
      // The one HAProxy keeps serving the stable version alone.
      expect(readFileSync(join(dir, 'haproxy.pid'), 'utf8').trim()).toBe(String(pid));
      expect(await countVersions(url, 20)).toEqual(new Map([['1.0.0', 20]]));
      await killHaproxy(join(dir, 'haproxy.pid'));
      // Once it is stopped, eclusa starts it again with the route it last confirmed.
      expect((await router.ensure()).route).toMatchObject({ canaryWeight: 0 });
      expect(await countVersions(url, 20)).toEqual(new Map([['1.0.0', 20]]));
    } finally {
      await router.shutdown();
    }
  });

  it('reports per-backend requests and 5xx from HAProxy’s counters', async () => {
    const router = await managed();
    const url = (await router.ensure()).url;
    try {
      await router.apply({ stable: backendOf(stable, 'blue'), canaryWeight: 0 });
      const before = (await router.health()).backends.find((b) => b.id === 'blue');
      await countVersions(url, 12);
      const after = (await router.health()).backends.find((b) => b.id === 'blue');
      expect((after?.requests ?? 0) - (before?.requests ?? 0)).toBe(12);
      expect(after?.errors5xx).toBe(0);
    } finally {
      await router.shutdown();
    }
  });

  /** An HAProxy as a team would run it: its own names, started by the test, not by eclusa. */
  async function teamHaproxy(dir: string, map?: string): Promise<{ socket: string; url: string }> {
    const port = await freePort();
    const socket = join(dir, 'team.sock');
    const config = join(dir, 'team.cfg');
    if (map !== undefined) writeFileSync(map, '');
    writeFileSync(
      config,
      [
        'global',
        `  stats socket ${socket} mode 600 level admin`,
        `  pidfile ${join(dir, 'haproxy.pid')}`,
        'defaults',
        '  mode http',
        '  timeout connect 5s',
        '  timeout client 30s',
        '  timeout server 30s',
        'frontend web',
        `  bind 127.0.0.1:${port}`,
        ...(map === undefined ? [] : maintenanceFrontendLines(map)),
        '  default_backend shop',
        'backend shop',
        '  balance roundrobin',
        `  server blue 127.0.0.1:${stable.port} weight 100`,
        '  server green 127.0.0.1:1 weight 0 disabled',
        '',
      ].join('\n'),
    );
    execFileSync('path' in found ? found.path : 'haproxy', ['-D', '-f', config]);
    return { socket, url: `http://127.0.0.1:${port}` };
  }

  function stopTeamHaproxy(dir: string): void {
    process.kill(Number(readFileSync(join(dir, 'haproxy.pid'), 'utf8').trim()), 'SIGKILL');
  }

  it('turns maintenance on and off in a team’s HAProxy through the documented lines', async () => {
    const dir = home();
    const map = join(dir, 'eclusa-maintenance.map');
    const { socket, url } = await teamHaproxy(dir, map);
    const router = new HaproxyRouter({
      dir: join(dir, 'state'),
      manage: false,
      socket,
      backend: 'shop',
      servers: { stable: 'blue', canary: 'green' },
      maintenanceMap: map,
    });
    try {
      const on = await router.setMaintenance({ message: 'Back at 03:00; thanks' });
      expect(on.maintenance?.message).toBe('Back at 03:00; thanks');
      const page = await get(`${url}/`, { headers: { accept: 'application/json' } });
      expect(page.status).toBe(503);
      expect(JSON.parse(page.body)).toMatchObject({ message: 'Back at 03:00; thanks' });
      // The map file holds the switch too, so a reload of the team's HAProxy keeps it.
      expect(readFileSync(map, 'utf8')).toMatch(/^on on$/m);
      await router.setMaintenance(undefined);
      expect((await get(`${url}/version`)).status).toBe(200);
      expect(readFileSync(map, 'utf8')).toBe('');
    } finally {
      stopTeamHaproxy(dir);
    }
  });

  it('drives an HAProxy the team runs, with its own backend and server names', async () => {
    const dir = home();
    const { socket, url } = await teamHaproxy(dir);
    const router = new HaproxyRouter({
      dir: join(dir, 'state'),
      manage: false,
      socket,
      backend: 'shop',
      servers: { stable: 'blue', canary: 'green' },
    });
    try {
      const first = await router.ensure();
      // Nothing applied yet: the route is read from HAProxy itself.
      expect(first.route).toMatchObject({
        stable: { id: 'blue', version: 'unknown' },
        canaryWeight: 0,
      });
      await router.apply({
        stable: backendOf(stable, 'v1'),
        canary: backendOf(canary, 'v2'),
        canaryWeight: 50,
      });
      const counts = await countVersions(url, 100);
      expect(Math.abs((counts.get('2.0.0') ?? 0) - 50)).toBeLessThanOrEqual(
        weightTolerance(100, 0.5),
      );
      expect((counts.get('1.0.0') ?? 0) + (counts.get('2.0.0') ?? 0)).toBe(100);
      expect((await router.state()).route).toMatchObject({
        canary: { id: 'v2' },
        canaryWeight: 50,
      });
      await expect(router.setMaintenance({ message: 'x' })).rejects.toMatchObject({
        code: 'HAPROXY_NO_MAINTENANCE_MAP',
        kind: 'invalid-input',
      });
      await router.shutdown(); // leaves a HAProxy it does not own running
      expect((await get(`${url}/version`)).status).toBe(200);
    } finally {
      stopTeamHaproxy(dir);
    }
  });

  it('gives a team’s HAProxy restarted from its own file the route eclusa last set', async () => {
    const dir = home();
    const { socket, url } = await teamHaproxy(dir);
    const router = new HaproxyRouter({
      dir: join(dir, 'state'),
      manage: false,
      socket,
      backend: 'shop',
      servers: { stable: 'blue', canary: 'green' },
    });
    try {
      await router.apply(canaryRoute(10));
      await router.apply(canaryRoute(25));
      stopTeamHaproxy(dir);
      await eventually(async () => {
        try {
          await get(`${url}/version`);
          return false;
        } catch {
          return true;
        }
      }, 'the team’s haproxy to stop');
      execFileSync(haproxyBinary, ['-D', '-f', join(dir, 'team.cfg')]);
      // The team's file knows nothing of the canary: HAProxy starts all on blue.
      expect((await router.state()).route).toMatchObject({ canaryWeight: 0 });
      expect((await router.ensure()).route).toMatchObject({
        canary: { id: 'green' },
        canaryWeight: 25,
      });
      await expectCanaryShare(url, 25);
    } finally {
      stopTeamHaproxy(dir);
    }
  });

  it('names the missing server of a backend', async () => {
    const dir = home();
    const router = await managed(dir);
    await router.ensure();
    const wrong = new HaproxyRouter({
      dir: home(),
      manage: false,
      socket: join(dir, 'admin.sock'),
      backend: 'eclusa_production',
      servers: { stable: 'stable', canary: 'candidate' },
    });
    try {
      await expect(wrong.state()).rejects.toMatchObject({
        code: 'HAPROXY_NO_SERVER',
        message: expect.stringContaining('"candidate"') as unknown,
      });
    } finally {
      await router.shutdown();
    }
  });

  it('fails safe with a retryable error when the admin socket is gone', async () => {
    const router = new HaproxyRouter({
      dir: home(),
      manage: false,
      socket: join(tmpdir(), 'no-such-haproxy.sock'),
      backend: 'shop',
      servers: { stable: 'blue', canary: 'green' },
    });
    const error = await router
      .apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 0,
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'failed', code: 'HAPROXY_SOCKET_GONE', retryable: true });
    expect((error as Error).message).toContain('no-such-haproxy.sock');
  });
});

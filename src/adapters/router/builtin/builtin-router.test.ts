import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/free-port.js';
import { countVersions, eventually, get } from '../../../../test/support/http-client.js';
import { startSampleApp, type SampleApp } from '../../../../test/support/sample-app-process.js';
import { isAlive } from '../start-lock.js';
import { backendOf, trafficRouterContract } from '../traffic-router-contract.case.js';
import { BuiltinRouter } from './builtin-router.js';
import { builtinRouterPaths } from './builtin-router-files.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const homes: string[] = [];

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-builtin-'));
  homes.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

trafficRouterContract({
  name: 'builtin',
  switching: 'live',
  create: async () => {
    const router = new BuiltinRouter({
      dir: join(home(), 'routers', 'production'),
      port: await freePort(),
    });
    return { router, cleanup: () => Promise.resolve() };
  },
});

async function routerPid(dir: string): Promise<number> {
  return Number(await readFile(builtinRouterPaths(dir).pid, 'utf8'));
}

describe('builtin router: its own process', () => {
  let stable: SampleApp;
  let canary: SampleApp;

  beforeAll(async () => {
    [stable, canary] = await Promise.all([startSampleApp('1.0.0'), startSampleApp('2.0.0')]);
  });

  afterAll(async () => {
    await Promise.all([stable?.stop(), canary?.stop()]);
  });

  it('starts one router when two adapters call ensure at once', async () => {
    const dir = join(home(), 'routers', 'staging');
    const port = await freePort();
    const a = new BuiltinRouter({ dir, port });
    const b = new BuiltinRouter({ dir, port });
    try {
      const states = await Promise.all([a.ensure(), b.ensure(), a.ensure()]);
      expect(new Set(states.map((state) => state.url))).toEqual(
        new Set([`http://127.0.0.1:${port}`]),
      );
      const log = await readFile(builtinRouterPaths(dir).log, 'utf8');
      expect(log.match(/listening on/g)).toHaveLength(1);
      // The control socket is this user's alone: nobody else on the machine can reroute.
      expect(statSync(builtinRouterPaths(dir).socket).mode & 0o777).toBe(0o600);
    } finally {
      await a.shutdown();
    }
  });

  /** Another eclusa-like process that applies a route through its own adapter and stays. */
  function startStarter(dir: string, port: number) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/support/builtin-router-starter.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ROUTER_DIR: dir,
          ROUTER_PORT: String(port),
          ROUTE: JSON.stringify({ stable: backendOf(stable, 'blue'), canaryWeight: 0 }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const routed = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('routed')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`starter exited ${code}`)));
    });
    return { child, routed };
  }

  it('starts one router when two processes ensure it at the same moment', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const starters = [startStarter(dir, port), startStarter(dir, port)];
    try {
      await Promise.all(starters.map((starter) => starter.routed));
      const log = await readFile(builtinRouterPaths(dir).log, 'utf8');
      expect(log.match(/listening on/g)).toHaveLength(1);
      expect(await countVersions(`http://127.0.0.1:${port}`, 5)).toEqual(new Map([['1.0.0', 5]]));
    } finally {
      for (const starter of starters) starter.child.kill('SIGKILL');
      await new BuiltinRouter({ dir, port }).shutdown();
    }
  });

  it('keeps serving after the process that started it is killed with SIGKILL', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const { child: starter, routed } = startStarter(dir, port);
    const router = new BuiltinRouter({ dir, port });
    try {
      await routed;
      starter.kill('SIGKILL');
      await new Promise((resolve) => starter.once('exit', resolve));
      expect(await countVersions(`http://127.0.0.1:${port}`, 20)).toEqual(new Map([['1.0.0', 20]]));
      expect(isAlive(await routerPid(dir))).toBe(true);
    } finally {
      starter.kill('SIGKILL');
      await router.shutdown();
    }
  });

  it('comes back with its route after its own death, and counts requests per backend', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const router = new BuiltinRouter({ dir, port });
    const url = `http://127.0.0.1:${port}`;
    try {
      await router.apply({
        stable: backendOf(stable, 'blue'),
        canary: backendOf(canary, 'green'),
        canaryWeight: 100,
      });
      const before = await routerPid(dir);
      process.kill(before, 'SIGKILL');
      await eventually(() => Promise.resolve(!isAlive(before)), 'the router to die');
      await expect(get(url)).rejects.toThrow();
      const state = await router.ensure();
      expect(await routerPid(dir)).not.toBe(before);
      expect(state.route?.canary?.id).toBe('green');
      expect(state.route?.canaryWeight).toBe(100);
      expect(await countVersions(url, 10)).toEqual(new Map([['2.0.0', 10]]));
      const health = await router.health();
      expect(health.backends.find((b) => b.id === 'green')).toMatchObject({
        requests: 10,
        errors5xx: 0,
      });
    } finally {
      await router.shutdown();
    }
  });

  it('comes back mid-canary with the weights eclusa last set, started by a new eclusa process', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = new BuiltinRouter({ dir, port });
    const route = (canaryWeight: number) => ({
      stable: backendOf(stable, 'blue'),
      canary: backendOf(canary, 'green'),
      canaryWeight,
    });
    try {
      await first.apply(route(10));
      await first.apply(route(25));
      const before = await routerPid(dir);
      process.kill(before, 'SIGKILL');
      await eventually(() => Promise.resolve(!isAlive(before)), 'the router to die');
      // Another adapter, as the next eclusa command builds it, finds the router down.
      const state = await new BuiltinRouter({ dir, port }).ensure();
      expect(await routerPid(dir)).not.toBe(before);
      expect(state.route).toMatchObject({ canary: { id: 'green' }, canaryWeight: 25 });
      // Smooth weighted round-robin: exactly the weight over any 100 requests.
      expect(await countVersions(url, 100)).toEqual(
        new Map([
          ['1.0.0', 75],
          ['2.0.0', 25],
        ]),
      );
    } finally {
      await first.shutdown();
    }
  });

  it('starts again by itself when a route is applied while it is down', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const router = new BuiltinRouter({ dir, port });
    try {
      await router.ensure();
      await router.shutdown();
      expect(existsSync(builtinRouterPaths(dir).pid)).toBe(false);
      await router.apply({ stable: backendOf(canary, 'green'), canaryWeight: 0 });
      expect(await countVersions(`http://127.0.0.1:${port}`, 5)).toEqual(new Map([['2.0.0', 5]]));
    } finally {
      await router.shutdown();
    }
  });

  it('answers 502 for a backend that is gone and counts it as a 5xx', async () => {
    const dir = join(home(), 'routers', 'production');
    const port = await freePort();
    const router = new BuiltinRouter({ dir, port });
    try {
      const gone = await freePort();
      await router.apply({
        stable: { id: 'ghost', version: '0.0.1', endpoint: { host: '127.0.0.1', port: gone } },
        canaryWeight: 0,
      });
      const answer = await get(`http://127.0.0.1:${port}/`);
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toMatchObject({
        error: 'backend unavailable',
        code: 'ECONNREFUSED',
      });
      const ghost = (await router.health()).backends.find((b) => b.id === 'ghost');
      expect(ghost).toMatchObject({ requests: 1, errors5xx: 1 });
    } finally {
      await router.shutdown();
    }
  });

  it('says why it could not start: the port is taken', async () => {
    const taken = await startSampleApp('9.9.9');
    const router = new BuiltinRouter({ dir: join(home(), 'routers', 'x'), port: taken.port });
    try {
      await expect(router.ensure()).rejects.toMatchObject({
        code: 'ROUTER_START_FAILED',
        retryable: true,
        message: expect.stringMatching(/EADDRINUSE/) as unknown,
      });
    } finally {
      await taken.stop();
    }
  });

  it('refuses to pretend when the running router listens elsewhere than the policy says', async () => {
    const dir = join(home(), 'routers', 'production');
    const running = new BuiltinRouter({ dir, port: await freePort() });
    try {
      await running.ensure();
      const moved = new BuiltinRouter({ dir, port: await freePort() });
      await expect(moved.ensure()).rejects.toMatchObject({
        code: 'ROUTER_LISTEN_CHANGED',
        kind: 'invalid-input',
      });
    } finally {
      await running.shutdown();
    }
  });

  it('quotes the router’s own error when its entry point cannot run', async () => {
    const router = new BuiltinRouter({
      dir: join(home(), 'routers', 'broken'),
      port: await freePort(),
      entry: { command: process.execPath, args: [join(ROOT, 'dist/no-such-router.cjs')] },
    });
    await expect(router.ensure()).rejects.toMatchObject({
      code: 'ROUTER_START_FAILED',
      message: expect.stringContaining('Cannot find module') as unknown,
    });
  });

  const bundle = join(ROOT, 'dist/router.cjs');
  const bundled = existsSync(bundle);
  if (!bundled && process.env['CI'] === 'true') {
    throw new Error('dist/router.cjs is missing: npm run build before the tests (CI=true)');
  }
  it.skipIf(!bundled)('runs from the bundle, dist/router.cjs (npm run build)', async () => {
    const dir = join(home(), 'routers', 'bundled');
    const port = await freePort();
    const router = new BuiltinRouter({
      dir,
      port,
      entry: { command: process.execPath, args: [bundle] },
    });
    try {
      await router.apply({ stable: backendOf(stable, 'blue'), canaryWeight: 0 });
      expect(await countVersions(`http://127.0.0.1:${port}`, 5)).toEqual(new Map([['1.0.0', 5]]));
      const cmdline = await readFile(`/proc/${await routerPid(dir)}/cmdline`, 'utf8').catch(
        () => bundle,
      );
      expect(cmdline).toContain('router.cjs');
    } finally {
      await router.shutdown();
    }
  });
});

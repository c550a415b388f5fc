import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EclusaError } from '../../core/errors/eclusa-error.js';
import type { Backend, Route, TrafficRouter } from '../../core/router/traffic-router.js';
import { countVersions, get, versionAt } from '../../../test/support/http-client.js';
import { loadLoop } from '../../../test/support/load-loop.js';
import { startSampleApp, type SampleApp } from '../../../test/support/sample-app-process.js';

export interface RouterUnderTest {
  readonly router: TrafficRouter;
  /** Stops whatever the fixture started (the router itself is shut down by the suite). */
  cleanup(): Promise<void>;
}

export interface RouterFixture {
  readonly name: string;
  /** A fresh router on a free port with its own state directory. */
  create(): Promise<RouterUnderTest>;
  /**
   * How a route change reaches connections already open: `live` (builtin, HAProxy: every
   * request is routed on its own, nothing is closed) or `reload` (nginx: old workers close
   * their idle keep-alive connections as they retire).
   */
  readonly switching: 'live' | 'reload';
}

/** Requests per weight measurement. */
const SAMPLE = 400;
/**
 * Allowed distance from the expected count: 4.5 standard deviations of a binomial(n, p).
 * A router that picks at random with the right weight fails this less than once in 100,000
 * runs; a weight off by 10 points over 400 requests is 40 requests away, far outside
 * (p = 0.5 gives ±45 — still excludes 40 % and 60 %). Deterministic routers land exactly.
 */
export function weightTolerance(n: number, p: number): number {
  return 4.5 * Math.sqrt(n * p * (1 - p));
}

export function backendOf(app: SampleApp, id: string): Backend {
  return { id, version: app.version, endpoint: { host: app.host, port: app.port } };
}

/** The contract every TrafficRouter adapter passes, run against the real router. */
export function trafficRouterContract(fixture: RouterFixture | { readonly skip: string }): void {
  if ('skip' in fixture) {
    describe.skip(`TrafficRouter contract (${fixture.skip})`, () => {
      it('skipped', () => undefined);
    });
    return;
  }
  describe(`TrafficRouter contract: ${fixture.name}`, () => {
    let stable: SampleApp;
    let canary: SampleApp;
    let subject: RouterUnderTest;
    let router: TrafficRouter;
    let url: string;
    const route = (canaryWeight: number, extra: Partial<Route> = {}): Route => ({
      stable: backendOf(stable, 'app-blue'),
      ...(canaryWeight > 0 || extra.canary !== undefined
        ? { canary: backendOf(canary, 'app-green') }
        : {}),
      canaryWeight,
      ...extra,
    });

    beforeAll(async () => {
      [stable, canary] = await Promise.all([startSampleApp('1.0.0'), startSampleApp('2.0.0')]);
      subject = await fixture.create();
      router = subject.router;
      url = (await router.ensure()).url;
    });

    afterAll(async () => {
      await router?.shutdown();
      await subject?.cleanup();
      await Promise.all([stable?.stop(), canary?.stop()]);
    });

    it('ensure is idempotent, also when called concurrently', async () => {
      const [a, b] = await Promise.all([router.ensure(), router.ensure()]);
      expect(a.url).toBe(url);
      expect(b.url).toBe(url);
      expect((await router.ensure()).url).toBe(url);
    });

    it('route 100/0 sends everything to stable, and state says so', async () => {
      const state = await router.apply(route(0));
      expect(state.route?.stable.id).toBe('app-blue');
      expect(state.route?.canaryWeight).toBe(0);
      expect(await countVersions(url, 50)).toEqual(new Map([['1.0.0', 50]]));
      // Applying the route already in place changes nothing.
      expect((await router.apply(route(0))).route).toEqual(state.route);
    });

    it('switches everything to the canary at 100', async () => {
      const state = await router.apply(route(100));
      expect(state.route?.canary?.id).toBe('app-green');
      expect(state.route?.canaryWeight).toBe(100);
      expect(await countVersions(url, 50)).toEqual(new Map([['2.0.0', 50]]));
      expect((await router.state()).route?.canaryWeight).toBe(100);
    });

    it.each([10, 50, 90])(
      `sends about %i percent of ${SAMPLE} requests to the canary`,
      async (weight) => {
        await router.apply(route(weight));
        const counts = await countVersions(url, SAMPLE);
        const expected = (SAMPLE * weight) / 100;
        const got = counts.get('2.0.0') ?? 0;
        expect((counts.get('1.0.0') ?? 0) + got).toBe(SAMPLE);
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(weightTolerance(SAMPLE, weight / 100));
      },
    );

    it.each([
      ['header', { header: 'X-Tenant' }],
      ['cookie', { cookie: 'tenant' }],
    ] as const)('keeps one %s value on one side', async (_kind, sticky) => {
      await router.apply(route(50, { sticky }));
      const sides = new Set<string>();
      for (let tenant = 0; tenant < 16; tenant++) {
        const headers: Record<string, string> =
          'header' in sticky
            ? { 'x-tenant': `tenant-${tenant}` }
            : { cookie: `theme=dark; tenant=tenant-${tenant}` };
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) seen.add(await versionAt(url, headers));
        expect(seen.size, `tenant-${tenant} saw ${[...seen].join(', ')}`).toBe(1);
        sides.add([...seen][0] ?? '');
      }
      // At 50 % sixteen tenants all on one side would mean the key is ignored.
      expect(sides).toEqual(new Set(['1.0.0', '2.0.0']));
      expect((await router.state()).route?.sticky).toEqual(sticky);
    });

    it('serves the maintenance page while on, the app again once off', async () => {
      await router.apply(route(0));
      const on = await router.setMaintenance({ message: 'Upgrading the database <10 min>' });
      expect(on.maintenance?.message).toBe('Upgrading the database <10 min>');
      const page = await get(`${url}/api/hello`);
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toMatch(/^\d+$/);
      expect(page.body).toContain('Upgrading the database &#60;10 min&#62;');
      expect((await router.state()).maintenance?.message).toBe('Upgrading the database <10 min>');
      const off = await router.setMaintenance(undefined);
      expect(off.maintenance).toBeUndefined();
      expect((await get(`${url}/api/hello`)).status).toBe(200);
    });

    it('refuses a route no router can apply, and keeps the one in place', async () => {
      await router.apply(route(0));
      const refusals = [
        route(150),
        route(-1),
        { ...route(0), canaryWeight: 20 },
        route(10, { sticky: {} }),
      ];
      for (const bad of refusals) {
        const error = await router.apply(bad).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EclusaError);
        expect((error as EclusaError).kind).toBe('invalid-input');
      }
      expect(await countVersions(url, 10)).toEqual(new Map([['1.0.0', 10]]));
    });

    const loadTitle =
      fixture.switching === 'live'
        ? 'loses no request while the route switches under keep-alive load'
        : 'under keep-alive load, loses only requests sent on a connection a reload closes';
    it(loadTitle, async () => {
      await router.apply(route(0));
      let loading = true;
      let switches = 0;
      // At least 2,000 requests, and on until ten switches happened under load (a router
      // that reloads needs longer per switch); 20,000 at most.
      const load = loadLoop(url, {
        clients: 4,
        requests: 2_000,
        more: () => switches < 10,
        max: 20_000,
      }).finally(() => {
        loading = false;
      });
      const weights = [100, 0, 50, 10, 90, 0];
      while (loading && switches < 200) {
        await router.apply(route(weights[switches % weights.length] ?? 0));
        switches += 1;
      }
      const result = await load;
      expect(switches).toBeGreaterThanOrEqual(10);
      expect(result.sent).toBeGreaterThanOrEqual(2_000);
      // Every answer that came back is the app's own 200: no 502/503 at a switch.
      expect([...result.statuses.keys()]).toEqual([200]);
      expect(result.versions.get('1.0.0') ?? 0).toBeGreaterThan(0);
      expect(result.versions.get('2.0.0') ?? 0).toBeGreaterThan(0);
      if (fixture.switching === 'live') {
        expect(result.errors).toEqual([]);
      } else {
        // A reload retires the old workers, which close their idle keep-alive connections;
        // a client that sends on one at that instant sees it closed. Only such requests are
        // lost — ones a client may send again (an idempotent GET on a reused connection),
        // as browsers do. Never one on a fresh connection, never a 5xx.
        for (const error of result.errors) {
          expect(error.message).toMatch(/socket hang up|ECONNRESET/);
          expect(error.reusedSocket).toBe(true);
        }
      }
      console.info(
        `${fixture.name}: ${result.sent} requests, ${switches} switches, ${result.errors.length} connections closed under a request`,
      );
    });
  });
}

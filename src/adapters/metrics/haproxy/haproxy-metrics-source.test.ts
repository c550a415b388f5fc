import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/time/clock.js';
import { startHaproxy } from '../../../../test/support/haproxy-with-stats-socket.js';
import { sendRequests } from '../../../../test/support/http-load.js';
import { startSampleApp } from '../../../../test/support/restartable-sample-app.js';
import { metricsSourceContract } from '../metrics-source-contract.case.js';
import { HaproxyMetricsSource } from './haproxy-metrics-source.js';

metricsSourceContract('haproxy (stats socket in front of two sample apps)', async () => {
  const [stable, canary] = await Promise.all([
    startSampleApp({ APP_VERSION: '1.0.0' }),
    startSampleApp({ APP_VERSION: '2.0.0', FAULT_ERROR_RATE: '1', FAULT_LATENCY_MS: '300' }),
  ]);
  const haproxy = await startHaproxy([
    { name: 'stable', ...stable.endpoint },
    { name: 'canary', ...canary.endpoint },
  ]);
  if ('skip' in haproxy) {
    await Promise.all([stable.stop(), canary.stop()]);
    return haproxy;
  }
  const sides = {
    stable: { id: 'api-blue', version: '1.0.0', server: 'stable' },
    canary: { id: 'api-green', version: '2.0.0', server: 'canary' },
  };
  return {
    sides,
    source: () =>
      new HaproxyMetricsSource({
        clock: systemClock,
        socketPath: haproxy.socketPath,
        backend: haproxy.backend,
      }),
    send: async (side, count) => {
      await sendRequests(`${haproxy.url}/api/hello`, count, { 'x-side': side });
    },
    settle: () => Promise.resolve(),
    resetCounters: () => haproxy.restart(),
    sourceAt: (fake) => ({
      source: new HaproxyMetricsSource({
        clock: systemClock,
        socketPath: fake.socketPath,
        backend: haproxy.backend,
        timeoutMs: 500,
      }),
      sides,
    }),
    stop: async () => {
      await haproxy.stop();
      await Promise.all([stable.stop(), canary.stop()]);
    },
  };
});

describe('haproxy source with the servers of eclusa’s router (real HAProxy)', () => {
  it('reads the canary on the canary server while it shares traffic, then alone on the stable one', async (ctx) => {
    const [stable, canary] = await Promise.all([
      startSampleApp({ APP_VERSION: '1.0.0' }),
      startSampleApp({ APP_VERSION: '2.0.0', FAULT_ERROR_RATE: '1' }),
    ]);
    const haproxy = await startHaproxy([
      { name: 'stable', ...stable.endpoint },
      { name: 'canary', ...canary.endpoint },
    ]);
    try {
      if ('skip' in haproxy) return ctx.skip();
      const source = new HaproxyMetricsSource({
        clock: systemClock,
        socketPath: haproxy.socketPath,
        backend: haproxy.backend,
        servers: { stable: 'stable', canary: 'canary' },
      });
      // Sides as the engine names them: by slot, with no HAProxy server of their own.
      const sides = {
        stable: { id: 'api-blue', version: '1.0.0' },
        canary: { id: 'api-green', version: '2.0.0' },
      };
      await source.measure(sides);
      await sendRequests(`${haproxy.url}/api/hello`, 6, { 'x-side': 'canary' });
      await sendRequests(`${haproxy.url}/api/hello`, 9, { 'x-side': 'stable' });
      const shared = await source.measure(sides);
      expect(shared.canary).toMatchObject({ kind: 'window', window: { requests: 6, errors: 6 } });
      expect(shared.stable).toMatchObject({ kind: 'window', window: { requests: 9, errors: 0 } });

      // After the switch the version takes all traffic on the stable server: a new window,
      // never the canary server's counters diffed against the stable one's.
      const alone = { canary: sides.canary };
      expect((await source.measure(alone)).canary).toMatchObject({ kind: 'inconclusive' });
      await sendRequests(`${haproxy.url}/api/hello`, 4, { 'x-side': 'stable' });
      expect((await source.measure(alone)).canary).toMatchObject({
        kind: 'window',
        window: { requests: 4, errors: 0 },
      });
    } finally {
      if (!('skip' in haproxy)) await haproxy.stop();
      await Promise.all([stable.stop(), canary.stop()]);
    }
  });
});

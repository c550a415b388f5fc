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

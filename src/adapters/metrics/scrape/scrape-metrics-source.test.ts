import { systemClock } from '../../../core/time/clock.js';
import { sendRequests } from '../../../../test/support/http-load.js';
import { startSampleApp } from '../../../../test/support/restartable-sample-app.js';
import { metricsSourceContract, type FakeServer } from '../metrics-source-contract.case.js';
import { ScrapeMetricsSource } from './scrape-metrics-source.js';

metricsSourceContract('scrape (two sample apps)', async () => {
  const [stable, canary] = await Promise.all([
    startSampleApp({ APP_VERSION: '1.0.0' }),
    startSampleApp({ APP_VERSION: '2.0.0', FAULT_ERROR_RATE: '1', FAULT_LATENCY_MS: '300' }),
  ]);
  const apps = { stable, canary };
  const sidesAt = (stableAt: FakeServer | undefined, canaryAt: FakeServer | undefined) => ({
    stable: { id: 'api-blue', version: '1.0.0', endpoint: stableAt ?? stable.endpoint },
    canary: { id: 'api-green', version: '2.0.0', endpoint: canaryAt ?? canary.endpoint },
  });
  return {
    sides: sidesAt(undefined, undefined),
    source: () => new ScrapeMetricsSource({ clock: systemClock }),
    send: async (side, count) => {
      await sendRequests(`${apps[side].url}/api/hello`, count);
    },
    settle: () => Promise.resolve(),
    resetCounters: () => stable.restart(),
    sourceAt: (fake) => ({
      source: new ScrapeMetricsSource({ clock: systemClock, timeoutMs: 500 }),
      sides: sidesAt(fake, fake),
    }),
    stop: async () => {
      await Promise.all([stable.stop(), canary.stop()]);
    },
  };
});

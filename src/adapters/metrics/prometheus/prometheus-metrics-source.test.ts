import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/time/clock.js';
import { sendRequests } from '../../../../test/support/http-load.js';
import {
  startPrometheus,
  type PrometheusServer,
} from '../../../../test/support/prometheus-server.js';
import {
  startSampleApp,
  type RestartableSampleApp,
} from '../../../../test/support/restartable-sample-app.js';
import { metricsSourceContract } from '../metrics-source-contract.case.js';
import { checkPolicyQueries } from './check-policy-queries.js';
import { PrometheusMetricsSource } from './prometheus-metrics-source.js';

interface Setup {
  readonly stable: RestartableSampleApp;
  readonly canary: RestartableSampleApp;
  readonly prometheus: PrometheusServer;
}

async function setUp(): Promise<Setup | { skip: string }> {
  const [stable, canary] = await Promise.all([
    startSampleApp({ APP_VERSION: '1.0.0' }),
    startSampleApp({ APP_VERSION: '2.0.0', FAULT_ERROR_RATE: '1', FAULT_LATENCY_MS: '300' }),
  ]);
  const instance = (app: RestartableSampleApp) => `${app.endpoint.host}:${app.endpoint.port}`;
  const prometheus = await startPrometheus([instance(stable), instance(canary)]);
  if ('skip' in prometheus) {
    await Promise.all([stable.stop(), canary.stop()]);
    return prometheus;
  }
  // Prometheus knows a target only once it has scraped it.
  const now = Date.now();
  await Promise.all([
    prometheus.waitForScrape(instance(stable), now),
    prometheus.waitForScrape(instance(canary), now),
  ]);
  return { stable, canary, prometheus };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.prometheus.stop();
  await Promise.all([setup.stable.stop(), setup.canary.stop()]);
}

const instanceOf = (app: RestartableSampleApp) => `${app.endpoint.host}:${app.endpoint.port}`;

metricsSourceContract('prometheus (scraping two sample apps every second)', async () => {
  const setup = await setUp();
  if ('skip' in setup) return setup;
  const { stable, canary, prometheus } = setup;
  const apps = { stable, canary };
  const sides = {
    stable: { id: 'api-blue', version: '1.0.0', endpoint: stable.endpoint },
    canary: { id: 'api-green', version: '2.0.0', endpoint: canary.endpoint },
  };
  const scraped = async () => {
    const now = Date.now();
    await Promise.all([
      prometheus.waitForScrape(instanceOf(stable), now),
      prometheus.waitForScrape(instanceOf(canary), now),
    ]);
  };
  return {
    sides,
    source: () => new PrometheusMetricsSource({ clock: systemClock, url: prometheus.url }),
    send: async (side, count) => {
      await sendRequests(`${apps[side].url}/api/hello`, count);
    },
    settle: scraped,
    resetCounters: async () => {
      await stable.restart();
      await scraped();
    },
    query: 'sum(http_requests_total{instance="{{canary}}",code=~"5.."})',
    sourceAt: (fake) => ({
      source: new PrometheusMetricsSource({
        clock: systemClock,
        url: `http://${fake.host}:${fake.port}`,
        timeoutMs: 500,
      }),
      sides,
    }),
    stop: () => tearDown(setup),
  };
});

describe('prometheus: queries', () => {
  let setup: Setup | { skip: string };
  let source: PrometheusMetricsSource;
  beforeAll(async () => {
    setup = await setUp();
    if (!('skip' in setup)) {
      source = new PrometheusMetricsSource({ clock: systemClock, url: setup.prometheus.url });
    }
  });
  afterAll(async () => {
    if (setup && !('skip' in setup)) await tearDown(setup);
  });

  it("surfaces Prometheus' own message for a query with a syntax error", async (context) => {
    if ('skip' in setup) return context.skip(setup.skip);
    const broken = 'sum(rate(http_requests_total{code=~"5.."}[1m])';
    const validation = await source.validateQuery(broken);
    expect(validation.kind).toBe('invalid');
    expect((validation as { message: string }).message).toMatch(
      /^Prometheus: bad_data: .*parse error/,
    );
    const reading = await source.measure({
      canary: { id: 'c', version: '2', endpoint: setup.canary.endpoint },
      queries: [{ name: 'broken', query: broken }],
    });
    expect(reading.queries['broken']).toMatchObject({
      kind: 'inconclusive',
      code: 'QUERY_INVALID',
    });
    expect((reading.queries['broken'] as { reason: string }).reason).toContain('parse error');
  });

  it('accepts a valid query with placeholders, and rejects an unknown placeholder', async (context) => {
    if ('skip' in setup) return context.skip(setup.skip);
    expect(
      await source.validateQuery('sum(rate(http_requests_total{instance="{{canary}}"}[1m]))'),
    ).toEqual({ kind: 'valid' });
    expect(await source.validateQuery('up{instance="{{canry}}"}')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('unknown placeholder {{canry}}') as unknown,
    });
  });

  it('says when a query gives several series instead of one number', async (context) => {
    if ('skip' in setup) return context.skip(setup.skip);
    const reading = await source.measure({
      canary: { id: 'c', version: '2', endpoint: setup.canary.endpoint },
      queries: [{ name: 'many', query: 'up' }],
    });
    expect(reading.queries['many']).toMatchObject({ kind: 'inconclusive', code: 'QUERY_INVALID' });
  });

  it('cannot validate against a Prometheus that is not there, and says so', async () => {
    const nowhere = new PrometheusMetricsSource({
      clock: systemClock,
      url: 'http://user:s3cret@127.0.0.1:9/',
      timeoutMs: 500,
    });
    const validation = await nowhere.validateQuery('up');
    expect(validation.kind).toBe('unknown');
    expect(JSON.stringify(validation)).not.toContain('s3cret');
  });

  it('lets policy check report a broken query at its place, and skip an unreachable server', async (context) => {
    if ('skip' in setup) return context.skip(setup.skip);
    const condition = (query: string) => ({ metric: 'm', query, failWhen: '> 1' });
    const check = await checkPolicyQueries({
      analyses: {
        live: {
          source: 'prometheus',
          prometheusUrl: setup.prometheus.url,
          conditions: [condition('sum(up)'), condition('sum(rate(x[1m])')],
        },
        elsewhere: {
          source: 'prometheus',
          prometheusUrl: 'http://127.0.0.1:9',
          conditions: [condition('sum(up')],
        },
      },
    });
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatchObject({
      path: ['analyses', 'live', 'conditions', 1, 'query'],
      code: 'INVALID_QUERY',
      message: expect.stringContaining('parse error') as unknown,
    });
    expect(check.unchecked.map((u) => u.prometheusUrl)).toEqual(['http://127.0.0.1:9']);
  });
});

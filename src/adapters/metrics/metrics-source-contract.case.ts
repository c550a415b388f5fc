import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../core/analysis/histogram.js';
import type {
  Measurement,
  MetricsSide,
  MetricsSource,
  SideReading,
  SideWindow,
} from '../../core/analysis/metrics-source.js';

/**
 * The contract every MetricsSource keeps, run against the real thing it reads. The harness
 * runs two sample apps: `stable` healthy, `canary` answering every request 500 after
 * FAULT_LATENCY_MS=300.
 */
export interface ContractHarness {
  readonly sides: { readonly stable: MetricsSide; readonly canary: MetricsSide };
  /** A fresh source reading the live setup. */
  source(): MetricsSource;
  /** Sends `count` requests that reach that side. */
  send(side: 'stable' | 'canary', count: number): Promise<void>;
  /** Waits until the source can see every request sent so far (Prometheus scrapes). */
  settle(): Promise<void>;
  /** Restarts what keeps the counters, so they start again from zero. */
  resetCounters(): Promise<void>;
  /** A source (and sides) pointed at a fake server instead of the real thing. */
  sourceAt(fake: FakeServer): {
    readonly source: MetricsSource;
    readonly sides: ContractHarness['sides'];
  };
  /** A PromQL query counting the canary's 5xx, when the source runs queries. */
  readonly query?: string;
  stop(): Promise<void>;
}

/** Where the fake servers listen: HTTP on a TCP port, or a UNIX socket (HAProxy). */
export interface FakeServer {
  readonly host: string;
  readonly port: number;
  readonly socketPath: string;
}

export type HarnessOrSkip = ContractHarness | { readonly skip: string };

function windowOf(reading: SideReading | undefined): SideWindow {
  expect(reading?.kind, JSON.stringify(reading)).toBe('window');
  return (reading as { window: SideWindow }).window;
}

export function metricsSourceContract(name: string, setup: () => Promise<HarnessOrSkip>): void {
  describe(`MetricsSource contract: ${name}`, () => {
    let harness: ContractHarness | undefined;
    let skip: string | undefined;
    let source: MetricsSource;
    const measure = (): Promise<Measurement> =>
      source.measure({ canary: harness!.sides.canary, stable: harness!.sides.stable });

    beforeAll(async () => {
      const made = await setup();
      if ('skip' in made) skip = made.skip;
      else {
        harness = made;
        source = harness.source();
      }
    });
    afterAll(async () => {
      await source?.close?.();
      await harness?.stop();
    });

    it('opens both windows at the first reading', async (context) => {
      if (skip) return context.skip(skip);
      const first = await measure();
      expect(Number.isNaN(Date.parse(first.at))).toBe(false);
      for (const reading of [first.canary, first.stable]) {
        expect(reading).toMatchObject({ kind: 'inconclusive', code: 'NO_WINDOW_YET' });
      }
    });

    it("counts each side's requests and 5xx between two readings", async (context) => {
      if (skip) return context.skip(skip);
      await harness!.send('stable', 30);
      await harness!.send('canary', 12);
      await harness!.settle();
      const second = await measure();
      const stable = windowOf(second.stable);
      const canary = windowOf(second.canary);
      expect({ requests: stable.requests, errors: stable.errors }).toEqual({
        requests: 30,
        errors: 0,
      });
      expect({ requests: canary.requests, errors: canary.errors }).toEqual({
        requests: 12,
        errors: 12,
      });
      expect(Date.parse(canary.to)).toBeGreaterThan(Date.parse(canary.from));
      expect(stable.from).toBe(canary.from);
    });

    it('gives the latency of each side', async (context) => {
      if (skip) return context.skip(skip);
      await harness!.send('stable', 10);
      await harness!.send('canary', 10);
      await harness!.settle();
      const reading = await measure();
      const canary = windowOf(reading.canary).latency;
      const stable = windowOf(reading.stable).latency;
      expect(canary?.meanSeconds).toBeGreaterThanOrEqual(0.3);
      expect(stable?.meanSeconds).toBeLessThan(0.25);
      if (source.capabilities.latencyHistogram) {
        const p50 = histogramQuantile(0.5, canary!.histogram!);
        expect(p50).toBeGreaterThan(0.25);
        expect(p50).toBeLessThanOrEqual(0.5);
        expect(histogramQuantile(0.95, stable!.histogram!)).toBeLessThan(0.25);
        expect(canary!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(10);
      } else {
        expect(canary?.histogram).toBeUndefined();
      }
    });

    it('counts only what came after the previous reading', async (context) => {
      if (skip) return context.skip(skip);
      await harness!.send('stable', 7);
      await harness!.settle();
      const reading = await measure();
      expect(windowOf(reading.stable).requests).toBe(7);
      expect(windowOf(reading.canary).requests).toBe(0);
    });

    it('treats counters that went back to zero as a restart, never as negative traffic', async (context) => {
      if (skip) return context.skip(skip);
      await harness!.send('stable', 20);
      await harness!.settle();
      await measure();
      await harness!.resetCounters();
      await harness!.send('stable', 5);
      await harness!.settle();
      const reading = await measure();
      expect(windowOf(reading.stable).requests).toBe(5);
      expect(windowOf(reading.stable).errors).toBe(0);
    });

    it('runs a custom query, or says it cannot', async (context) => {
      if (skip) return context.skip(skip);
      const query = harness!.query ?? 'sum(http_requests_total)';
      const reading = await source.measure({
        ...harness!.sides,
        queries: [{ name: 'canary_5xx', query }],
      });
      const value = reading.queries['canary_5xx'];
      if (source.capabilities.queries) {
        expect(value).toMatchObject({ kind: 'value' });
        expect((value as { value: number }).value).toBeGreaterThanOrEqual(12);
      } else {
        expect(value).toMatchObject({ kind: 'inconclusive', code: 'UNSUPPORTED' });
      }
    });

    describe('faults: inconclusive with the reason, never a window', () => {
      let hanging: FakeServers;
      let garbage: FakeServers;
      beforeAll(async () => {
        hanging = await fakeServers('hang');
        garbage = await fakeServers('garbage');
      });
      afterAll(async () => {
        await hanging?.close();
        await garbage?.close();
      });

      const twice = async (fake: FakeServer) => {
        const { source: faulty, sides } = harness!.sourceAt(fake);
        await faulty.measure({ ...sides });
        const reading = await faulty.measure({ ...sides });
        await faulty.close?.();
        return reading;
      };

      it('a source that does not answer times out', async (context) => {
        if (skip) return context.skip(skip);
        const reading = await twice(hanging.address);
        expect(reading.canary).toMatchObject({ kind: 'inconclusive', code: 'TIMEOUT' });
        expect(reading.stable?.kind).toBe('inconclusive');
      });

      it('a source that answers garbage is garbage', async (context) => {
        if (skip) return context.skip(skip);
        const reading = await twice(garbage.address);
        expect(reading.canary).toMatchObject({ kind: 'inconclusive', code: 'GARBAGE' });
        expect((reading.canary as { reason: string }).reason).not.toBe('');
      });

      it('a source that is gone is unreachable', async (context) => {
        if (skip) return context.skip(skip);
        const closed = await fakeServers('garbage');
        await closed.close();
        const reading = await twice(closed.address);
        expect(reading.canary).toMatchObject({ kind: 'inconclusive', code: 'UNREACHABLE' });
      });
    });
  });
}

interface FakeServers {
  readonly address: FakeServer;
  close(): Promise<void>;
}

/** An HTTP server and a UNIX socket that either never answer or answer nonsense. */
async function fakeServers(mode: 'hang' | 'garbage'): Promise<FakeServers> {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-fake-'));
  const socketPath = join(dir, 'fake.sock');
  const held: Socket[] = [];
  const http: HttpServer = createHttpServer((request, response) => {
    if (mode === 'hang') return; // the request is left open
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('<<< \u0000 this is not { the exposition format, nor JSON\n');
  });
  const unix: Server = createServer((socket) => {
    held.push(socket);
    if (mode === 'garbage') socket.end('HTTP/1.0 200 OK\r\n\r\n\u0000\u0001 nonsense, not CSV\n');
  });
  http.on('connection', (socket: Socket) => held.push(socket));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    address: { host: '127.0.0.1', port, socketPath },
    close: async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => unix.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

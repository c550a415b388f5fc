import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, type Unavailable } from './find-binary.js';

/** A throwaway Prometheus scraping the given targets every second. */
export interface PrometheusServer {
  readonly url: string;
  /** Resolves once Prometheus has scraped `instance` at a time after `afterMs` (epoch ms). */
  waitForScrape(instance: string, afterMs: number): Promise<void>;
  stop(): Promise<void>;
}

const READY_MS = 30_000;
const SCRAPE_WAIT_MS = 15_000;

export async function startPrometheus(
  targets: readonly string[],
): Promise<PrometheusServer | Unavailable> {
  const found = findBinary('prometheus', 'apt-get install prometheus');
  if ('skip' in found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 900ms',
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn(
    found.bin,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const cleanup = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(READY_MS, `Prometheus ready at ${url} (${stderr})`, async () => {
      const response = await fetch(`${url}/-/ready`).catch(() => undefined);
      return response?.status === 200;
    });
  } catch (error) {
    process.removeListener('exit', cleanup);
    cleanup();
    throw error;
  }
  return {
    url,
    waitForScrape: (instance, afterMs) =>
      until(SCRAPE_WAIT_MS, `a scrape of ${instance} by Prometheus`, async () => {
        const query = `timestamp(up{instance="${instance}"})`;
        const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
        const body = (await response.json()) as {
          data?: { result?: { value?: [number, string] }[] };
        };
        const value = body.data?.result?.[0]?.value?.[1];
        return value !== undefined && Number(value) * 1000 > afterMs;
      }),
    stop: async () => {
      process.removeListener('exit', cleanup);
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 100 ms until it holds, or fails after `ms` naming what it waited for. */
export async function until(ms: number, what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

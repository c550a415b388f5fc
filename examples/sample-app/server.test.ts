import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS } from './http-metrics.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Bound on every wait for a line or an exit, so a hung app fails the test instead of stalling it. */
const WAIT_MS = 15_000;
const APP_VARIABLES = /^(PORT|APP_VERSION|FAULT_\w+)$/;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface App {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly stderr: () => string;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const running: App[] = [];

afterEach(async () => {
  for (const app of running.splice(0)) {
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await app.exited;
  }
});

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms: ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts server.ts as its own process, the way eclusa's supervisor does, with only `env` set. */
function spawnApp(env: Record<string, string>): App {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_VARIABLES.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const app = { child, exited, stderr: () => stderr };
  running.push(app);
  return app;
}

/** Resolves with the first stdout line, or rejects when the process exits before printing one. */
function firstLine(app: App): Promise<string> {
  const line = new Promise<string>((resolve, reject) => {
    let buffered = '';
    app.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end !== -1) resolve(buffered.slice(0, end));
    });
    void app.exited.then(({ code }) =>
      reject(new Error(`exited with ${code} before listening: ${app.stderr()}`)),
    );
  });
  return withTimeout(line, 'the "listening" line');
}

async function startApp(env: Record<string, string> = {}): Promise<{ app: App; base: string }> {
  const app = spawnApp({ PORT: '0', ...env });
  const line = await firstLine(app);
  const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+)) version (\S+)$/.exec(line);
  expect(match, line).not.toBeNull();
  expect(Number(match?.[2])).toBeGreaterThan(0);
  return { app, base: match?.[1] ?? '' };
}

/** One GET on its own connection; `sent` resolves once the request has been handed to the kernel. */
function get(base: string, path: string): { sent: Promise<void>; answer: Promise<Answer> } {
  let sent!: Promise<void>;
  const answer = new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(new URL(path, base), { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          body,
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    sent = new Promise((resolveSent) => request.on('finish', () => resolveSent()));
    request.end();
  });
  return { sent, answer: withTimeout(answer, `GET ${path}`) };
}

const fetchAnswer = (base: string, path: string): Promise<Answer> => get(base, path).answer;

function post(base: string, path: string, body: string): Promise<Answer> {
  const answer = new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      new URL(path, base),
      { agent: false, method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            body: text,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
  return withTimeout(answer, `POST ${path}`);
}

async function fetchJson(base: string, path: string): Promise<{ status: number; json: unknown }> {
  const { status, body } = await fetchAnswer(base, path);
  return { status, json: JSON.parse(body) };
}

/** Parses text format 0.0.4, failing on any sample line that is not `name{labels} value`. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    expect(match, `sample line: ${line}`).not.toBeNull();
    const [, name = '', labelText = '', valueText = ''] = match ?? [];
    const labels: Record<string, string> = {};
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
    while (pair.lastIndex < labelText.length) {
      const found = pair.exec(labelText);
      expect(found, `labels: ${labelText}`).not.toBeNull();
      if (found === null) break;
      labels[found[1] ?? ''] = found[2] ?? '';
    }
    const value = valueText === '+Inf' ? Infinity : Number(valueText);
    expect(Number.isNaN(value), `value: ${line}`).toBe(false);
    samples.push({ name, labels, value });
  }
  return samples;
}

async function scrape(base: string): Promise<Sample[]> {
  const { status, contentType, body } = await fetchAnswer(base, '/metrics');
  expect(status).toBe(200);
  expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(body);
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}

const requestsTotal = (samples: Sample[], code: string, path: string): number =>
  valueOf(samples, 'http_requests_total', { code, method: 'GET', path });

describe('examples/sample-app', () => {
  it('answers /health, /version, / and /api/hello with its version, and 404 elsewhere', async () => {
    const { base } = await startApp({ APP_VERSION: '1.4.2' });
    expect(await fetchJson(base, '/health')).toEqual({
      status: 200,
      json: { status: 'ok', version: '1.4.2' },
    });
    expect(await fetchJson(base, '/version')).toEqual({ status: 200, json: { version: '1.4.2' } });
    expect(await fetchJson(base, '/')).toMatchObject({ status: 200, json: { version: '1.4.2' } });
    expect(await fetchJson(base, '/api/hello')).toEqual({
      status: 200,
      json: { message: 'hello', version: '1.4.2' },
    });
    expect((await fetchAnswer(base, '/nope')).status).toBe(404);
  });

  it('exposes request counters that grow with each request, 404s included', async () => {
    const { base } = await startApp({ APP_VERSION: '2.0.0' });
    const before = await scrape(base);
    expect(valueOf(before, 'app_version_info', { version: '2.0.0' })).toBe(1);
    expect(requestsTotal(before, '200', '/api/hello')).toBe(0);

    for (let i = 0; i < 3; i++) expect((await fetchAnswer(base, '/api/hello')).status).toBe(200);
    expect((await fetchAnswer(base, '/does/not/exist')).status).toBe(404);

    const after = await scrape(base);
    expect(requestsTotal(after, '200', '/api/hello')).toBe(3);
    expect(requestsTotal(after, '404', 'other')).toBe(1);
    expect(requestsTotal(after, '200', '/metrics')).toBe(1);
  });

  it('keeps cumulative histogram buckets whose _count equals the requests observed', async () => {
    const { base } = await startApp();
    for (const path of ['/', '/', '/api/hello', '/health']) await fetchAnswer(base, path);

    const samples = await scrape(base);
    const counts = samples.filter((s) => s.name === 'http_request_duration_seconds_count');
    expect(counts.reduce((total, s) => total + s.value, 0)).toBe(4);
    expect(valueOf(samples, 'http_request_duration_seconds_count', { path: '/' })).toBe(2);

    const expectedLe = [...DURATION_BUCKETS.map(String), '+Inf'];
    for (const count of counts) {
      const { path } = count.labels;
      const buckets = samples.filter(
        (s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.path === path,
      );
      expect(buckets.map((s) => s.labels.le)).toEqual(expectedLe);
      buckets.forEach((bucket, i) => {
        expect(bucket.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value ?? 0);
      });
      expect(buckets.at(-1)?.value).toBe(count.value);
      const sum = valueOf(samples, 'http_request_duration_seconds_sum', { path: path ?? '' });
      expect(sum).toBeGreaterThan(0);
    }
  });

  it('answers every /api/hello with 500 under FAULT_ERROR_RATE=1 and counts it as code 500', async () => {
    const { base } = await startApp({ FAULT_ERROR_RATE: '1', FAULT_SEED: '42' });
    for (let i = 0; i < 3; i++) expect((await fetchAnswer(base, '/api/hello')).status).toBe(500);
    expect((await fetchAnswer(base, '/health')).status).toBe(200);

    const samples = await scrape(base);
    expect(requestsTotal(samples, '500', '/api/hello')).toBe(3);
    expect(requestsTotal(samples, '200', '/api/hello')).toBe(0);
  });

  it('fails the same requests for the same FAULT_SEED', async () => {
    const codes = async (): Promise<number[]> => {
      const { base } = await startApp({ FAULT_ERROR_RATE: '0.5', FAULT_SEED: '7' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await fetchAnswer(base, '/api/hello')).status);
      return statuses;
    };
    const first = await codes();
    expect(await codes()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });

  it('switches faults on and off while running through POST /fault under FAULT_CONTROL=on', async () => {
    const { base } = await startApp({ FAULT_CONTROL: 'on', APP_VERSION: '2.1.0' });
    expect((await fetchAnswer(base, '/api/hello')).status).toBe(200);
    expect(await fetchJson(base, '/fault')).toEqual({
      status: 200,
      json: { errorRate: 0, latencyMs: 0, version: '2.1.0' },
    });

    const on = await post(base, '/fault', '{"errorRate":1}');
    expect(on.status).toBe(200);
    expect(JSON.parse(on.body)).toEqual({ errorRate: 1, latencyMs: 0, version: '2.1.0' });
    for (let i = 0; i < 3; i++) expect((await fetchAnswer(base, '/api/hello')).status).toBe(500);
    expect((await fetchAnswer(base, '/health')).status).toBe(200);

    const refused = await post(base, '/fault', '{"errorRate":2,"slow":true}');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({
      errors: [
        'errorRate must be a number from 0 to 1, got 2',
        'unknown field "slow": use errorRate or latencyMs',
      ],
    });
    expect((await fetchAnswer(base, '/api/hello')).status).toBe(500);

    expect((await post(base, '/fault', '{"errorRate":0}')).status).toBe(200);
    expect((await fetchAnswer(base, '/api/hello')).status).toBe(200);
    const samples = await scrape(base);
    expect(requestsTotal(samples, '500', '/api/hello')).toBe(4);
    expect(
      valueOf(samples, 'http_requests_total', { code: '200', method: 'POST', path: '/fault' }),
    ).toBe(2);
  });

  it('has no /fault without FAULT_CONTROL=on', async () => {
    const { base } = await startApp();
    expect((await fetchAnswer(base, '/fault')).status).toBe(404);
    expect((await post(base, '/fault', '{"errorRate":1}')).status).toBe(404);
    expect((await fetchAnswer(base, '/api/hello')).status).toBe(200);
  });

  it('answers /health with 503 under FAULT_HEALTH=fail', async () => {
    const { base } = await startApp({ FAULT_HEALTH: 'fail', APP_VERSION: '3.0.0' });
    expect(await fetchJson(base, '/health')).toEqual({
      status: 503,
      json: { status: 'fail', version: '3.0.0' },
    });
    expect(requestsTotal(await scrape(base), '503', '/health')).toBe(1);
  });

  it('exits with code 1 before listening under FAULT_CRASH_AT_START=1', async () => {
    const app = spawnApp({ PORT: '0', FAULT_CRASH_AT_START: '1' });
    let stdout = '';
    app.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    expect(await withTimeout(app.exited, 'exit')).toEqual({ code: 1, signal: null });
    expect(stdout).toBe('');
    expect(app.stderr()).toContain('FAULT_CRASH_AT_START');
  });

  it('exits with code 2 and names every invalid variable', async () => {
    const app = spawnApp({ FAULT_ERROR_RATE: '2', FAULT_HEALTH: 'maybe' });
    expect(await withTimeout(app.exited, 'exit')).toEqual({ code: 2, signal: null });
    for (const name of ['PORT', 'FAULT_ERROR_RATE', 'FAULT_HEALTH']) {
      expect(app.stderr()).toContain(name);
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits with code 0', async () => {
    const { app, base } = await startApp({ FAULT_LATENCY_MS: '300' });
    const slow = get(base, '/api/hello');
    await withTimeout(slow.sent, 'sending the slow request');
    // The slow request's bytes reach the app before this second connection exists, so once
    // /health is answered the app has read the slow request and holds it in flight.
    expect((await fetchAnswer(base, '/health')).status).toBe(200);

    app.child.kill('SIGTERM');
    expect((await slow.answer).status).toBe(200);
    expect(await withTimeout(app.exited, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

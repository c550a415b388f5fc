import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { readAppConfig, type AppConfig } from './app-config.js';
import { parseFaultChange, type Faults } from './fault-control.js';
import { HttpMetrics, METRICS_CONTENT_TYPE } from './http-metrics.js';
import { seededRandom } from './seeded-random.js';

/** Loopback only: several versions run side by side on one host behind eclusa's router. */
const HOST = '127.0.0.1';
/** In-flight requests get this long after SIGTERM/SIGINT before their connections are cut. */
const SHUTDOWN_GRACE_MS = 5_000;
const ROUTES: ReadonlySet<string> = new Set(['/', '/api/hello', '/health', '/version', '/metrics']);
/** Reads and changes the fault knobs of a running app; answers only with `FAULT_CONTROL=on`. */
const FAULT_PATH = '/fault';
/** A `POST /fault` body is a few fields; anything longer is refused. */
const MAX_FAULT_BODY = 1_024;

/** Unknown paths share one label value, so a scan of random URLs cannot grow the series. */
function normalisePath(pathname: string): string {
  return ROUTES.has(pathname) ? pathname : 'other';
}

function isFaultable(pathname: string): boolean {
  return pathname === '/' || pathname.startsWith('/api/');
}

interface Reply {
  readonly code: number;
  readonly body: string;
  readonly contentType?: string;
}

const json = (code: number, body: unknown): Reply => ({ code, body: JSON.stringify(body) });

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FAULT_BODY) {
        request.removeAllListeners('data');
        request.resume();
        resolve(undefined);
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function createHandler(
  config: AppConfig,
  metrics: HttpMetrics,
  random: () => number,
  isClosing: () => boolean,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { version } = config;
  // Set at start from the environment; `POST /fault` changes them while the app runs, so a
  // test can make a running version start failing at a moment it knows.
  const faults: Faults = { errorRate: config.errorRate, latencyMs: config.latencyMs };

  const faultControl = async (method: string, request: IncomingMessage): Promise<Reply> => {
    if (method === 'GET') return json(200, { ...faults, version });
    if (method !== 'POST') return json(405, { error: 'method not allowed', allow: 'GET, POST' });
    const body = await readBody(request);
    if (body === undefined) return json(413, { error: `body over ${MAX_FAULT_BODY} bytes` });
    const change = parseFaultChange(body, faults);
    if (change.kind === 'invalid') return json(400, { errors: change.errors });
    Object.assign(faults, change.faults);
    process.stderr.write(
      `sample-app: faults now errorRate=${faults.errorRate} latencyMs=${faults.latencyMs}\n`,
    );
    return json(200, { ...faults, version });
  };

  const route = async (
    method: string,
    pathname: string,
    request: IncomingMessage,
  ): Promise<Reply> => {
    if (config.faultControl && pathname === FAULT_PATH) return faultControl(method, request);
    if (isFaultable(pathname)) {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      if (random() < faults.errorRate) {
        return json(500, { error: 'injected fault (FAULT_ERROR_RATE)', version });
      }
    }
    if (!ROUTES.has(pathname)) return json(404, { error: 'not found', path: pathname });
    if (method !== 'GET') return json(405, { error: 'method not allowed', allow: 'GET' });
    switch (pathname) {
      case '/health':
        return config.healthFails
          ? json(503, { status: 'fail', version })
          : json(200, { status: 'ok', version });
      case '/version':
        return json(200, { version });
      case '/metrics':
        return { code: 200, body: metrics.render(version), contentType: METRICS_CONTENT_TYPE };
      case '/api/hello':
        return json(200, { message: 'hello', version });
      default:
        return json(200, { service: 'sample-app', version });
    }
  };

  return async (request, response) => {
    const started = process.hrtime.bigint();
    const method = request.method ?? 'GET';
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    let reply: Reply;
    try {
      reply = await route(method, pathname, request);
    } catch (error) {
      reply = json(500, { error: error instanceof Error ? error.message : String(error) });
    }
    // Observed before the body is written, so a scrape that follows this response sees it.
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const path =
      config.faultControl && pathname === FAULT_PATH ? FAULT_PATH : normalisePath(pathname);
    metrics.observe({ method, path, code: reply.code, seconds });
    response.writeHead(reply.code, {
      'content-type': reply.contentType ?? 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(reply.body),
      ...(reply.code === 405 ? { allow: pathname === FAULT_PATH ? 'GET, POST' : 'GET' } : {}),
      ...(isClosing() ? { connection: 'close' } : {}),
    });
    response.end(reply.body);
  };
}

function main(): void {
  const result = readAppConfig(process.env);
  if (result.kind === 'invalid') {
    for (const error of result.errors) process.stderr.write(`sample-app: ${error}\n`);
    process.exitCode = 2;
    return;
  }
  const { config } = result;
  if (config.crashAtStart) {
    process.stderr.write('sample-app: FAULT_CRASH_AT_START=1, exiting before listening\n');
    process.exitCode = 1;
    return;
  }

  let closing = false;
  const random = config.seed === undefined ? Math.random : seededRandom(config.seed);
  const handle = createHandler(config, new HttpMetrics(), random, () => closing);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`sample-app: ${String(error)}\n`);
      response.destroy();
    });
  });

  server.on('error', (error) => {
    process.stderr.write(`sample-app: cannot listen on ${HOST}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(config.port, HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    // The one line on stdout: a supervisor reads the chosen port from it.
    process.stdout.write(`listening on http://${HOST}:${port} version ${config.version}\n`);
  });

  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`sample-app: ${signal}, finishing in-flight requests\n`);
    // close() stops accepting and drops idle keep-alive connections; active ones finish first.
    server.close(() => {
      process.exitCode = 0;
    });
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main();

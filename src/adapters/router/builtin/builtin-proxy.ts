import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { BackendHealth, Route, RouterHealth } from '../../../core/router/traffic-router.js';
import { maintenancePage } from '../maintenance-page.js';
import { RoutePicker, stickyKeyOf } from './route-picker.js';

/** How long an idle backend connection is kept when the backend announces no keep-alive timeout. */
const IDLE_BACKEND_CONNECTION_MS = 30_000;

/** What the proxy serves now; replaced whole, never mutated, so a switch is one assignment. */
interface Snapshot {
  readonly picker: RoutePicker | undefined;
  readonly maintenance: { readonly message: string } | undefined;
}

interface Counter {
  version: string | undefined;
  requests: number;
  errors5xx: number;
}

/**
 * The builtin router's data path. Proxying goes through http-proxy-3, which already does
 * what a correct HTTP proxy must (hop-by-hop headers, X-Forwarded-*, WebSocket upgrades,
 * redirects and cookies left intact); this class adds the choice of backend per request,
 * maintenance mode, counters, and one retry for the one failure that is not the backend's
 * fault: a kept-alive backend connection closed by the backend just as it was reused.
 *
 * Each request takes the snapshot in force when it arrives and keeps it to the end: a route
 * change lets requests in flight finish on the backend they started on, and sends every
 * request after it to the new route. Nothing is queued or dropped at the switch.
 */
export class BuiltinProxy {
  private snapshot: Snapshot = { picker: undefined, maintenance: undefined };
  private readonly counters = new Map<string, Counter>();
  private readonly since = new Date().toISOString();
  /**
   * With a `timeout`, Node's agent also honours a backend's `Keep-Alive: timeout=N` and drops
   * an idle pooled connection a second before the backend would (without one it keeps it, and
   * a request can be sent on it just as the backend closes it). On a request in flight the
   * timeout only emits an event nobody acts on; it never cuts a slow answer.
   */
  private readonly agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    timeout: IDLE_BACKEND_CONNECTION_MS,
  });
  /** The one retry goes out on a new connection, never on another pooled one that may be as stale. */
  private readonly retryAgent = new Agent({ keepAlive: false });
  private readonly proxy = createProxyServer({ xfwd: true, agent: this.agent });
  /** The outgoing request of each incoming one, to know whether it reused a socket. */
  private readonly outgoing = new WeakMap<IncomingMessage, { reusedSocket: boolean }>();

  constructor() {
    this.proxy.on('proxyReq', (proxyReq, req) => this.outgoing.set(req, proxyReq));
  }

  get route(): Route | undefined {
    return this.snapshot.picker?.route;
  }

  get maintenance(): { readonly message: string } | undefined {
    return this.snapshot.maintenance;
  }

  /** Swaps the route in one assignment; a new picker starts its round-robin afresh. */
  setRoute(route: Route | undefined): void {
    this.snapshot = {
      ...this.snapshot,
      picker: route === undefined ? undefined : new RoutePicker(route),
    };
  }

  setMaintenance(maintenance: { readonly message: string } | undefined): void {
    this.snapshot = { ...this.snapshot, maintenance };
  }

  health(): RouterHealth {
    const backends: BackendHealth[] = [];
    const route = this.route;
    for (const backend of [route?.stable, route?.canary]) {
      if (backend !== undefined) this.counter(backend.id, backend.version);
    }
    for (const [id, counter] of this.counters) {
      backends.push({ id, ...counter });
    }
    return { since: this.since, backends };
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const { picker, maintenance } = this.snapshot;
    if (maintenance !== undefined) {
      const page = maintenancePage(maintenance.message, req.headers.accept);
      res.writeHead(page.status, page.headers).end(req.method === 'HEAD' ? '' : page.body);
      return;
    }
    if (picker === undefined) {
      const body = JSON.stringify({ error: 'no route', hint: 'eclusa has not routed traffic yet' });
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end(body);
      return;
    }
    const backend = picker.backend(picker.pick(stickyKeyOf(picker.route, req.headers)));
    const counter = this.counter(backend.id, backend.version);
    counter.requests += 1;
    res.once('finish', () => {
      if (res.statusCode >= 500) counter.errors5xx += 1;
    });
    const target = `http://${hostForUrl(backend.endpoint.host)}:${backend.endpoint.port}`;
    this.forward(req, res, target, true);
  };

  readonly upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const { picker, maintenance } = this.snapshot;
    if (picker === undefined || maintenance !== undefined) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    const backend = picker.backend(picker.pick(stickyKeyOf(picker.route, req.headers)));
    const target = `http://${hostForUrl(backend.endpoint.host)}:${backend.endpoint.port}`;
    this.proxy.ws(req, socket, head, { target }, () => socket.destroy());
  };

  close(): void {
    this.agent.destroy();
    this.retryAgent.destroy();
    this.proxy.close();
  }

  private forward(req: IncomingMessage, res: ServerResponse, target: string, retry: boolean) {
    // A second attempt cannot read the request again (it has ended); it sends an empty body.
    const options = retry
      ? { target }
      : { target, buffer: Readable.from([]), agent: this.retryAgent };
    this.proxy.web(req, res, options, (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      const reused = this.outgoing.get(req)?.reusedSocket === true;
      if (retry && reused && code === 'ECONNRESET' && !res.headersSent && canResend(req)) {
        this.forward(req, res, target, false);
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = JSON.stringify({ error: 'backend unavailable', code: code ?? 'unknown' });
      res.writeHead(502, { 'content-type': 'application/json' }).end(body);
    });
  }

  private counter(id: string, version: string | undefined): Counter {
    let counter = this.counters.get(id);
    if (counter === undefined) {
      counter = { version, requests: 0, errors5xx: 0 };
      this.counters.set(id, counter);
    }
    counter.version = version ?? counter.version;
    return counter;
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * A request safe to send again (RFC 9110 §9.2.2): idempotent, and without a body, so nothing
 * was consumed from the client that could not be sent a second time.
 */
function canResend(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (
    IDEMPOTENT.has(req.method ?? 'GET') &&
    req.headers['transfer-encoding'] === undefined &&
    (length === undefined || length === '0')
  );
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

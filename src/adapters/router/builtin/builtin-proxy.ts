import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import type {
  Backend,
  BackendHealth,
  Route,
  RouterHealth,
} from '../../../core/router/traffic-router.js';
import { maintenancePage } from '../maintenance-page.js';
import { BackendPool } from './backend-pool.js';
import { forwardRequest, forwardResponseHeaders } from './forward-headers.js';
import { RoutePicker, stickyKeyOf } from './route-picker.js';

/** How long an idle backend connection is kept when the backend announces no keep-alive timeout. */
const IDLE_BACKEND_CONNECTION_MS = 30_000;

interface Counter {
  version: string | undefined;
  requests: number;
  errors5xx: number;
}

/** One backend as the data path uses it: resolved once per route change, not per request. */
interface Upstream {
  readonly host: string;
  readonly port: number;
  /** http://host:port, for the WebSocket path. */
  readonly target: string;
  readonly counter: Counter;
  /** Kept-alive connections for requests without a body. */
  readonly pool: BackendPool;
}

/** What the proxy serves now; replaced whole, never mutated, so a switch is one assignment. */
interface Snapshot {
  readonly picker: RoutePicker | undefined;
  readonly stable: Upstream | undefined;
  readonly canary: Upstream | undefined;
  readonly maintenance: { readonly message: string } | undefined;
}

/**
 * The builtin router's data path: a reverse proxy whose clients are served by node:http.
 * A request without a body — nearly every request — goes to its backend over a
 * BackendPool: kept-alive sockets with their listeners for life, the request head written
 * in one piece, the answer read by ResponseParser and written to the client as it comes. A
 * request with a body streams through node:http's client on a keep-alive agent. Both drop
 * hop-by-hop fields and add X-Forwarded-* (forward-headers.ts), and retry once, on a new
 * connection, the one failure that is not the backend's fault — a kept-alive backend
 * connection closed by the backend just as it was reused — for an idempotent request
 * without a body. WebSocket upgrades, rare and long-lived, go through http-proxy-3.
 *
 * Why not node:http's client for every request: its per-request objects, listeners and
 * agent bookkeeping cost as much CPU as the rest of the proxy together; a bare node:http
 * proxy measured the same as this one did with it, and the pool cut the router's CPU per
 * request by about a third (docs/benchmarks.md, "Router CPU per request"). On a machine with
 * little CPU to spare that is what decides the added p99.
 *
 * Each request takes the snapshot in force when it arrives and keeps it to the end: a route
 * change lets requests in flight finish on the backend they started on, and sends every
 * request after it to the new route. Nothing is queued or dropped at the switch.
 */
export class BuiltinProxy {
  private snapshot: Snapshot = {
    picker: undefined,
    stable: undefined,
    canary: undefined,
    maintenance: undefined,
  };
  private readonly counters = new Map<string, Counter>();
  /** One pool per backend address, kept across route changes so its connections stay warm. */
  private readonly pools = new Map<string, BackendPool>();
  private readonly since = new Date().toISOString();
  /**
   * For requests with a body (and WebSockets). Kept-alive backend connections, the most
   * recently used first (lifo), as in BackendPool: a steady load
   * keeps reusing a few warm sockets instead of spreading over idle ones the backend may be
   * about to close. Node's agent and server sockets already disable Nagle (noDelay).
   * With a `timeout`, Node's agent also honours a backend's `Keep-Alive: timeout=N` and drops
   * an idle pooled connection a second before the backend would (without one it keeps it, and
   * a request can be sent on it just as the backend closes it). On a request in flight the
   * timeout only emits an event nobody acts on; it never cuts a slow answer.
   */
  private readonly agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    scheduling: 'lifo',
    timeout: IDLE_BACKEND_CONNECTION_MS,
  });
  private readonly websockets = createProxyServer({ xfwd: true, agent: this.agent });

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
      stable: route === undefined ? undefined : this.upstream(route.stable),
      canary: route?.canary === undefined ? undefined : this.upstream(route.canary),
    };
  }

  setMaintenance(maintenance: { readonly message: string } | undefined): void {
    this.snapshot = { ...this.snapshot, maintenance };
  }

  health(): RouterHealth {
    const backends: BackendHealth[] = [];
    for (const [id, counter] of this.counters) {
      backends.push({ id, ...counter });
    }
    return { since: this.since, backends };
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const snapshot = this.snapshot;
    if (snapshot.maintenance !== undefined) {
      const page = maintenancePage(snapshot.maintenance.message, req.headers.accept);
      res.writeHead(page.status, page.headers).end(req.method === 'HEAD' ? '' : page.body);
      return;
    }
    const upstream = this.pick(snapshot, req);
    if (upstream === undefined) {
      const body = JSON.stringify({ error: 'no route', hint: 'eclusa has not routed traffic yet' });
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end(body);
      return;
    }
    upstream.counter.requests += 1;
    const forwarded = forwardRequest(req.rawHeaders, req.socket);
    if (forwarded.hasBody) this.forward(req, res, upstream, forwarded.headers);
    else this.send(req, res, upstream, requestHead(req, forwarded.headers), true);
  };

  readonly upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const snapshot = this.snapshot;
    const upstream = snapshot.maintenance === undefined ? this.pick(snapshot, req) : undefined;
    if (upstream === undefined) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    upstream.counter.requests += 1;
    this.websockets.ws(req, socket, head, { target: upstream.target }, () => socket.destroy());
  };

  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.agent.destroy();
    this.websockets.close();
  }

  private pick(snapshot: Snapshot, req: IncomingMessage): Upstream | undefined {
    const picker = snapshot.picker;
    if (picker === undefined) return undefined;
    // The header object is built on first use: only a sticky route needs it.
    const key =
      picker.route.sticky === undefined ? undefined : stickyKeyOf(picker.route, req.headers);
    return picker.pick(key) === 'canary' && snapshot.canary !== undefined
      ? snapshot.canary
      : snapshot.stable;
  }

  /**
   * A request without a body, on the backend pool. Sent again once, on a new connection,
   * when the backend closed or reset a reused connection before answering anything (it may
   * never have seen the request) and the method is idempotent.
   */
  private send(
    req: IncomingMessage,
    res: ServerResponse,
    upstream: Upstream,
    head: string,
    firstTry: boolean,
  ): void {
    const counter = upstream.counter;
    let clientGone = false;
    const exchange = upstream.pool.send(
      head,
      req.method === 'HEAD',
      {
        head: (answer) => {
          if (answer.status >= 500) counter.errors5xx += 1;
          res.writeHead(answer.status, answer.reason, forwardResponseHeaders(answer.headers));
        },
        body: (chunk) => res.write(chunk),
        end: () => res.end(),
        error: (error, stale) => {
          if (clientGone) return;
          if (firstTry && stale && !res.headersSent && IDEMPOTENT.has(req.method ?? 'GET')) {
            this.send(req, res, upstream, head, false);
            return;
          }
          if (res.headersSent) {
            res.destroy();
            return;
          }
          counter.errors5xx += 1;
          const page = JSON.stringify({
            error: 'backend unavailable',
            code: error.code ?? 'unknown',
          });
          res.writeHead(502, { 'content-type': 'application/json' }).end(page);
        },
      },
      !firstTry,
    );
    res.on('drain', () => exchange.resume());
    // A client that goes away takes its backend request with it.
    res.once('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      exchange.abort();
    });
  }

  /**
   * A request with a body, streamed from the client through node:http's client. Never sent
   * twice: part of the body may already be gone, and could not be sent again.
   */
  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    upstream: Upstream,
    headers: string[],
  ): void {
    const out = request({
      agent: this.agent,
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      // The client's Host goes through unchanged, as it is in `headers`.
      setHost: false,
    });
    out.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      if (status >= 500) upstream.counter.errors5xx += 1;
      answer.on('error', () => res.destroy());
      res.writeHead(status, answer.statusMessage, forwardResponseHeaders(answer.rawHeaders));
      answer.pipe(res);
    });
    let clientGone = false;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (clientGone) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      upstream.counter.errors5xx += 1;
      const page = JSON.stringify({ error: 'backend unavailable', code: error.code ?? 'unknown' });
      res.writeHead(502, { 'content-type': 'application/json' }).end(page);
    });
    // A client that goes away takes its backend request with it.
    res.once('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      out.destroy();
    });
    req.pipe(out);
  }

  private upstream(backend: Backend): Upstream {
    let counter = this.counters.get(backend.id);
    if (counter === undefined) {
      counter = { version: backend.version, requests: 0, errors5xx: 0 };
      this.counters.set(backend.id, counter);
    }
    counter.version = backend.version;
    const host = backend.endpoint.host;
    const port = backend.endpoint.port;
    const address = `${host}:${port}`;
    let pool = this.pools.get(address);
    if (pool === undefined) {
      pool = new BackendPool(host, port, {
        maxConnections: 256,
        maxIdle: 64,
        idleMs: IDLE_BACKEND_CONNECTION_MS,
      });
      this.pools.set(address, pool);
    }
    return {
      host,
      port,
      pool,
      target: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      counter,
    };
  }
}

/**
 * Methods safe to send again (RFC 9110 §9.2.2); the retry also needs a request without a
 * body, so that nothing was consumed from the client that could not be sent a second time.
 */
const IDEMPOTENT: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
  'TRACE',
]);

/** The request line and fields of a request sent on as it came, ending with the empty line. */
function requestHead(req: IncomingMessage, headers: readonly string[]): string {
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${head}\r\n`;
}

import { connect, type Socket } from 'node:net';
import { ResponseParser, type ResponseHead } from './response-parser.js';

/** What the proxy does with one backend answer as it arrives. */
export interface ExchangeHandler {
  head(head: ResponseHead): void;
  /** Returns false when the client cannot take more now: the exchange pauses until resume(). */
  body(chunk: Buffer): boolean;
  end(): void;
  /**
   * The exchange failed. `stale` when the backend closed or reset a kept-alive connection
   * before answering anything: the request may never have reached it.
   */
  error(error: NodeJS.ErrnoException, stale: boolean): void;
}

export interface Exchange {
  resume(): void;
  /** The client went away: the connection is closed, the answer dropped. */
  abort(): void;
}

export interface BackendPoolOptions {
  /** Connections open at once; more requests wait for one to be free. */
  readonly maxConnections: number;
  /** Idle connections kept; the most recently used is reused first. */
  readonly maxIdle: number;
  /** How long an idle connection is kept when the backend announces no keep-alive timeout. */
  readonly idleMs: number;
}

/** One request's hold on a connection, from the moment it is sent to its answer's end. */
interface ExchangeState {
  readonly handler: ExchangeHandler;
  aborted: boolean;
  connection: Connection | undefined;
}

interface Pending {
  readonly head: string;
  readonly headOnly: boolean;
  readonly handler: ExchangeHandler;
  readonly exchange: ExchangeState;
}

/**
 * Kept-alive HTTP/1.1 connections to one backend, for requests without a body: the head is
 * written in one piece, the answer read by ResponseParser, and the connection goes back to
 * the pool when the answer is complete and the backend keeps it open. Each connection has
 * its listeners for life — nothing is added or removed per request, which is where most
 * of node:http's client cost per request went. Written here rather than taken from a
 * library: undici's Pool, measured in its place, cost 0.89 of node:http's CPU per request
 * against this pool's 0.65, made the router bundle eleven times larger, and does not say
 * whether a connection was reused, which the resend rule below needs (docs/benchmarks.md).
 *
 * An idle connection is dropped a second before the backend's own `Keep-Alive: timeout`
 * (else after `idleMs`), so a request is rarely sent on one the backend is closing; when it
 * happens anyway the handler hears `stale` and may send the request again on a new one.
 */
export class BackendPool {
  private readonly idle: Connection[] = [];
  private readonly waiting: Pending[] = [];
  private open = 0;
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: BackendPoolOptions,
  ) {}

  /**
   * Sends a request head (request line and fields, ending with an empty line). `fresh`: on a
   * new connection, closed after the answer — for the one retry after a stale connection.
   */
  send(head: string, headOnly: boolean, handler: ExchangeHandler, fresh = false): Exchange {
    const exchange: ExchangeState = { handler, aborted: false, connection: undefined };
    const control: Exchange = {
      resume: () => exchange.connection?.socket.resume(),
      abort: () => {
        exchange.aborted = true;
        exchange.connection?.socket.destroy();
      },
    };
    if (this.closed) {
      handler.error(Object.assign(new Error('router closing'), { code: 'ECLOSED' }), false);
      return control;
    }
    let connection = fresh ? undefined : this.idle.pop();
    // One closed by its idle timeout or by the backend a moment ago waits for its 'close'.
    while (connection !== undefined && !connection.socket.writable) connection = this.idle.pop();
    if (connection === undefined) {
      if (this.open >= this.options.maxConnections && !fresh) {
        this.waiting.push({ head, headOnly, handler, exchange });
        return control;
      }
      connection = this.connect(fresh);
    }
    connection.start(head, headOnly, exchange);
    return control;
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.socket.destroy();
    for (const pending of this.waiting.splice(0)) {
      pending.handler.error(Object.assign(new Error('router closing'), { code: 'ECLOSED' }), false);
    }
  }

  private connect(fresh: boolean): Connection {
    this.open += 1;
    return new Connection(this, connect(this.port, this.host), fresh, this.options.idleMs);
  }

  /** Called by a connection whose answer is complete and that the backend keeps open. */
  release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      if (next.exchange.aborted) return this.release(connection);
      connection.start(next.head, next.headOnly, next.exchange);
      return;
    }
    if (this.closed || this.idle.length >= this.options.maxIdle) {
      connection.socket.destroy();
      return;
    }
    this.idle.push(connection);
  }

  /** Called once when a connection is gone, idle or not. */
  gone(connection: Connection): void {
    this.open -= 1;
    const index = this.idle.lastIndexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    // A request that waited for a free connection gets a new one.
    const next = this.waiting.shift();
    if (next !== undefined && !this.closed) {
      this.connect(false).start(next.head, next.headOnly, next.exchange);
    }
  }
}

class Connection {
  exchange: ExchangeState | undefined;
  private parser: ResponseParser | undefined;
  private answered = false;
  private complete = false;
  private reusable = false;
  /** Requests sent on this connection, the current one included. */
  private sent = 0;
  private error: NodeJS.ErrnoException | undefined;

  constructor(
    private readonly pool: BackendPool,
    readonly socket: Socket,
    private readonly fresh: boolean,
    private idleMs: number,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(idleMs);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (this.error ??= error));
    socket.on('close', () => this.close());
    // On a request in flight it means nothing: a slow answer is never cut.
    socket.on('timeout', () => {
      if (this.exchange === undefined) socket.destroy();
    });
  }

  start(head: string, headOnly: boolean, exchange: ExchangeState): void {
    this.sent += 1;
    this.exchange = exchange;
    exchange.connection = this;
    this.answered = false;
    this.complete = false;
    this.parser = new ResponseParser(headOnly, this.events);
    if (exchange.aborted) {
      this.socket.destroy();
      return;
    }
    this.socket.write(head, 'latin1');
  }

  private readonly events = {
    head: (head: ResponseHead) => {
      this.answered = true;
      this.honourKeepAlive(head.headers);
      this.exchange?.handler.head(head);
    },
    body: (chunk: Buffer) => {
      this.answered = true;
      if (this.exchange?.handler.body(chunk) === false) this.socket.pause();
    },
    end: (reusable: boolean) => {
      this.complete = true;
      this.reusable = reusable;
    },
  };

  private data(chunk: Buffer): void {
    const exchange = this.exchange;
    const parser = this.parser;
    if (exchange === undefined || parser === undefined) {
      // Bytes nobody asked for: the backend and this connection disagree.
      this.socket.destroy();
      return;
    }
    let clean: boolean;
    try {
      clean = parser.feed(chunk);
    } catch (error) {
      // A framing error, or fields node:http refuses to send on (a control character).
      const reason = error instanceof Error ? error.message : String(error);
      this.error = Object.assign(new Error(`bad answer from the backend: ${reason}`), {
        code: 'EBADRESPONSE',
      });
      this.socket.destroy();
      return;
    }
    if (!this.complete) return;
    this.exchange = undefined;
    this.parser = undefined;
    // The connection serves other requests from now on: this exchange lets go of it.
    exchange.connection = undefined;
    exchange.handler.end();
    if (clean && this.reusable && !this.fresh && !this.socket.destroyed) {
      this.socket.resume();
      this.pool.release(this);
    } else {
      this.socket.destroy();
    }
  }

  private close(): void {
    const exchange = this.exchange;
    const parser = this.parser;
    this.exchange = undefined;
    this.parser = undefined;
    if (exchange !== undefined) exchange.connection = undefined;
    this.pool.gone(this);
    if (exchange === undefined || exchange.aborted) return;
    if (parser !== undefined && this.error === undefined && parser.endsAtClose) {
      parser.closed();
      exchange.handler.end();
      return;
    }
    const error: NodeJS.ErrnoException =
      this.error ??
      Object.assign(new Error('backend closed the connection'), { code: 'ECONNRESET' });
    const stale =
      this.sent > 1 && !this.answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
    exchange.handler.error(error, stale);
  }

  /** `Keep-Alive: timeout=N`: drop the idle connection a second before the backend would. */
  private honourKeepAlive(headers: readonly string[]): void {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i]!.length !== 10 || headers[i]!.toLowerCase() !== 'keep-alive') continue;
      const match = /timeout=(\d+)/i.exec(headers[i + 1]!);
      if (match === null) return;
      const ms = Math.max(1, Number(match[1]) * 1_000 - 1_000);
      if (ms < this.idleMs) {
        this.idleMs = ms;
        this.socket.setTimeout(ms);
      }
      return;
    }
  }
}

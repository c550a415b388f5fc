import { createServer, type Server } from 'node:http';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendPool, type ExchangeHandler } from './backend-pool.js';
import type { ResponseHead } from './response-parser.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Backend {
  readonly port: number;
  /** Connections the backend accepted, open or closed. */
  readonly sockets: Socket[];
}

async function listen(server: Server | TcpServer): Promise<Backend> {
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => server.close(done));
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

function pool(port: number, maxConnections = 8): BackendPool {
  const created = new BackendPool('127.0.0.1', port, {
    maxConnections,
    maxIdle: 4,
    idleMs: 30_000,
  });
  closers.push(() => Promise.resolve(created.close()));
  return created;
}

interface Answer {
  head: ResponseHead | undefined;
  body: string;
  error: (NodeJS.ErrnoException & { stale: boolean }) | undefined;
}

/** Sends a GET and resolves with what the handler heard, at the answer's end or error. */
function get(target: BackendPool, path = '/'): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { head: undefined, body: '', error: undefined };
    const handler: ExchangeHandler = {
      head: (head) => (answer.head = head),
      body: (chunk) => {
        answer.body += chunk.toString();
        return true;
      },
      end: () => resolve(answer),
      error: (error, stale) => {
        answer.error = Object.assign(error, { stale });
        resolve(answer);
      },
    };
    target.send(`GET ${path} HTTP/1.1\r\nHost: backend\r\n\r\n`, false, handler);
  });
}

describe('BackendPool', () => {
  it('sends one request after another on one kept-alive connection', async () => {
    const backend = await listen(createServer((req, res) => res.end(`seen ${req.url}`)));
    const target = pool(backend.port);
    for (const path of ['/a', '/b', '/c']) {
      expect((await get(target, path)).body).toBe(`seen ${path}`);
    }
    expect(backend.sockets).toHaveLength(1);
  });

  it('reads a chunked answer and keeps the connection', async () => {
    const backend = await listen(
      createServer((_req, res) => {
        res.write('one ');
        setImmediate(() => res.end('two'));
      }),
    );
    const target = pool(backend.port);
    expect((await get(target)).body).toBe('one two');
    expect((await get(target)).body).toBe('one two');
    expect(backend.sockets).toHaveLength(1);
  });

  it('holds requests beyond its connection limit until a connection is free', async () => {
    const answers: (() => void)[] = [];
    const backend = await listen(
      createServer((req, res) => answers.push(() => res.end(`seen ${req.url}`))),
    );
    const target = pool(backend.port, 1);
    const both = Promise.all([get(target, '/1'), get(target, '/2')]);
    // Only the first reaches the backend; the second waits for its connection.
    while (answers.length === 0) await new Promise((resolve) => setImmediate(resolve));
    answers.shift()!();
    while (answers.length === 0) await new Promise((resolve) => setImmediate(resolve));
    answers.shift()!();
    expect((await both).map((a) => a.body)).toEqual(['seen /1', 'seen /2']);
    expect(backend.sockets).toHaveLength(1);
  });

  it("closes an idle connection before the backend's announced keep-alive timeout", async () => {
    const backend = await listen(
      createServer((_req, res) => {
        // Announces 1 s: the pool keeps the connection 1 s less, i.e. drops it at once.
        res.setHeader('Keep-Alive', 'timeout=1');
        res.end('ok');
      }),
    );
    const target = pool(backend.port);
    expect((await get(target)).body).toBe('ok');
    // The router, not the backend, closes it: the backend's socket sees the end.
    await new Promise((resolve) => backend.sockets[0]!.once('close', resolve));
    expect((await get(target)).body).toBe('ok');
    expect(backend.sockets).toHaveLength(2);
  });

  it('reports a garbled answer as an error that is not stale, and drops the connection', async () => {
    const backend = await listen(
      createTcpServer((socket) => {
        socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n'));
        socket.on('error', () => undefined);
      }),
    );
    const answer = await get(pool(backend.port));
    expect(answer.error).toMatchObject({ code: 'EBADRESPONSE', stale: false });
  });

  it('calls a reset of a reused connection before any answer stale, and of a new one not', async () => {
    const backend = await listen(
      createTcpServer((socket) => {
        let served = 0;
        socket.on('data', () => {
          served += 1;
          if (served === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          else socket.resetAndDestroy();
        });
        socket.on('error', () => undefined);
      }),
    );
    const target = pool(backend.port);
    expect((await get(target)).body).toBe('ok');
    expect((await get(target)).error).toMatchObject({ stale: true });
    const gone = await listen(
      createTcpServer((socket) => {
        socket.on('data', () => socket.resetAndDestroy());
        socket.on('error', () => undefined);
      }),
    );
    expect((await get(pool(gone.port))).error).toMatchObject({ stale: false });
  });

  it('lets the client abort: the connection is closed, and the next request gets a new one', async () => {
    let arrived: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const backend = await listen(
      createServer((req, res) => {
        if (req.url === '/slow') arrived();
        else res.end('fast');
      }),
    );
    const target = pool(backend.port);
    const handler: ExchangeHandler = {
      head: () => undefined,
      body: () => true,
      end: () => undefined,
      error: () => undefined,
    };
    const exchange = target.send('GET /slow HTTP/1.1\r\nHost: b\r\n\r\n', false, handler);
    await reached;
    exchange.abort();
    await new Promise((resolve) => backend.sockets[0]!.once('close', resolve));
    expect((await get(target, '/fast')).body).toBe('fast');
    expect(backend.sockets).toHaveLength(2);
  });
});

import { createServer, type Server } from 'node:http';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
} from 'node:net';
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { get } from '../../../../test/support/http-client.js';
import { BuiltinProxy } from './builtin-proxy.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    closers.push(() => new Promise((done) => server.close(() => done())));
  });
}

/**
 * A backend that answers the first request on each connection, keeps it alive, and resets
 * it when a second request arrives on it — the race of a backend closing an idle
 * keep-alive connection just as the router reuses it, made deterministic.
 */
async function resettingBackend(
  answerAfterMs = 0,
): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    let served = 0;
    socket.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('\r\n\r\n')) return;
      served += 1;
      if (served === 1) {
        setTimeout(
          () =>
            socket.write(
              'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok',
            ),
          answerAfterMs,
        );
      } else {
        socket.resetAndDestroy();
      }
    });
    socket.on('error', () => undefined);
  });
  return { port: await listen(server), connections: () => connections };
}

async function proxyTo(port: number): Promise<string> {
  const proxy = new BuiltinProxy();
  proxy.setRoute({
    stable: { id: 'app', version: '1', endpoint: { host: '127.0.0.1', port } },
    canaryWeight: 0,
  });
  const server = createServer(proxy.handle);
  const listening = await listen(server);
  closers.push(() => Promise.resolve(proxy.close()));
  return `http://127.0.0.1:${listening}`;
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: new Agent({ keepAlive: false }) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A backend that answers with what it received: method, URL, headers as sent, body. */
async function echoBackend(): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
      res.setHeader('Content-Type', 'application/json');
      // No content-length: the backend answers chunked, the router must re-frame it.
      res.write('{"seen":');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          raw: req.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        }) + '}',
      );
    });
  });
  return listen(server);
}

function send(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('BuiltinProxy', () => {
  it('passes method, path, body and end-to-end fields on, adds X-Forwarded-*, keeps cookies', async () => {
    const url = await proxyTo(await echoBackend());
    const answer = await send(`${url}/cart/items?x=1`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        connection: 'keep-alive, x-hop',
        'x-hop': 'only for the router',
        'x-request-id': 'r-42',
      },
      body: 'sku=7&qty=2',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    const seen = (JSON.parse(answer.body) as { seen: { raw: string[] } & Record<string, unknown> })
      .seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/cart/items?x=1', body: 'sku=7&qty=2' });
    const fields = new Map<string, string>();
    for (let i = 0; i < seen.raw.length; i += 2) {
      fields.set(seen.raw[i]!.toLowerCase(), seen.raw[i + 1]!);
    }
    expect(fields.get('host')).toBe(new URL(url).host);
    expect(fields.get('x-request-id')).toBe('r-42');
    expect(fields.get('x-forwarded-for')).toBe('127.0.0.1');
    expect(fields.get('x-forwarded-proto')).toBe('http');
    expect(fields.has('x-hop')).toBe(false);
  });

  it('drops the backend request when the client goes away before the answer', async () => {
    let arrived: () => void = () => undefined;
    let closedEarly: () => void = () => undefined;
    const backendGotIt = new Promise<void>((resolve) => (arrived = resolve));
    const backendSawClose = new Promise<void>((resolve) => (closedEarly = resolve));
    const server = createServer((_req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) closedEarly();
      });
      // Never answers: only the client leaving ends this request.
      arrived();
    });
    const url = await proxyTo(await listen(server));
    const client = request(url, { agent: false });
    client.on('error', () => undefined);
    client.end();
    await backendGotIt;
    client.destroy();
    await backendSawClose;
    server.closeAllConnections();
  });

  it('sends an idempotent request again when the backend resets a reused connection', async () => {
    const backend = await resettingBackend();
    const url = await proxyTo(backend.port);
    expect((await get(url)).status).toBe(200);
    // The second GET goes out on the kept-alive connection, which the backend resets.
    expect((await get(url)).status).toBe(200);
    expect(backend.connections()).toBe(2);
  });

  it('sends the retry on a new connection, not on another pooled one as stale', async () => {
    const backend = await resettingBackend(50);
    const url = await proxyTo(backend.port);
    // Two requests at once leave two kept-alive connections in the pool, both of which the
    // backend resets on their next request.
    expect((await Promise.all([get(url), get(url)])).map((a) => a.status)).toEqual([200, 200]);
    expect(backend.connections()).toBe(2);
    expect((await get(url)).status).toBe(200);
    expect(backend.connections()).toBe(3);
  });

  it('does not send a request with a body twice: the client gets a 502', async () => {
    const backend = await resettingBackend();
    const url = await proxyTo(backend.port);
    // The first request with a body opens the connection it keeps alive; the second goes
    // out on it, and the backend resets it.
    expect(await post(url, 'payment=1')).toBe(200);
    expect(await post(url, 'payment=2')).toBe(502);
    expect(backend.connections()).toBe(1);
  });

  it('streams a body of known length in pieces to a slow client, byte for byte', async () => {
    // 8 MiB, more than both sockets buffer: the client's pauses must reach the backend.
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 251;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(body.length) });
      // In pieces, some after a pause, so the answer arrives as many chunks.
      res.write(body.subarray(0, 1000));
      setTimeout(() => res.end(body.subarray(1000)), 20);
    });
    const url = await proxyTo(await listen(server));
    const received = await new Promise<{ length: string | undefined; body: Buffer }>(
      (resolve, reject) => {
        const req = request(url, { agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            // A slow reader: the proxy's writes to it fill up and must wait for drain.
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on('end', () =>
            resolve({ length: res.headers['content-length'], body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(received.length).toBe(String(body.length));
    expect(received.body.equals(body)).toBe(true);
  });

  it('passes a chunked answer to a GET on, and answers 502 for a garbled one', async () => {
    const chunked = createServer((_req, res) => {
      res.setHeader('Connection', 'keep-alive, X-Backend-Hop');
      res.setHeader('X-Backend-Hop', 'only for the router');
      res.write('one ');
      setImmediate(() => res.end('two'));
    });
    const answer = await send(await proxyTo(await listen(chunked)), { method: 'GET', headers: {} });
    expect(answer).toMatchObject({ status: 200, body: 'one two' });
    expect(answer.headers['x-backend-hop']).toBeUndefined();
    const garbled = createTcpServer((socket) => {
      socket.on('data', () =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'),
      );
      socket.on('error', () => undefined);
    });
    const bad = await send(await proxyTo(await listen(garbled)), { method: 'GET', headers: {} });
    expect(bad.status).toBe(502);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'EBADRESPONSE' });
    // A field value node:http will not write to the client is as bad.
    const control = createTcpServer((socket) => {
      socket.on('data', () =>
        socket.write('HTTP/1.1 200 OK\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\nok'),
      );
      socket.on('error', () => undefined);
    });
    const refused = await send(await proxyTo(await listen(control)), {
      method: 'GET',
      headers: {},
    });
    expect(refused.status).toBe(502);
  });

  it('answers HEAD and 304 with their Content-Length and no body', async () => {
    const server = createServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' }).end();
        return;
      }
      res
        .writeHead(200, { 'Content-Length': '5', ETag: '"v1"' })
        .end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const url = await proxyTo(await listen(server));
    const head = await send(url, { method: 'HEAD', headers: {} });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('5');
    const cached = await send(url, { method: 'GET', headers: { 'if-none-match': '"v1"' } });
    expect(cached).toMatchObject({ status: 304, body: '' });
    expect((await send(url, { method: 'GET', headers: {} })).body).toBe('hello');
  });

  it('passes a WebSocket upgrade through and carries bytes both ways', async () => {
    const backend = createServer();
    const upgraded: { destroy(): void }[] = [];
    backend.on('upgrade', (req, socket) => {
      upgraded.push(socket);
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `X-Seen-Forwarded-For: ${String(req.headers['x-forwarded-for'])}\r\n\r\n`,
      );
      socket.on('data', (chunk: Buffer) => socket.write(`echo ${chunk.toString()}`));
      socket.on('error', () => undefined);
    });
    const proxy = new BuiltinProxy();
    proxy.setRoute({
      stable: {
        id: 'app',
        version: '1',
        endpoint: { host: '127.0.0.1', port: await listen(backend) },
      },
      canaryWeight: 0,
    });
    const server = createServer(proxy.handle);
    server.on('upgrade', proxy.upgrade);
    const port = await listen(server);
    closers.push(() => Promise.resolve(proxy.close()));
    const { seen, echoed } = await new Promise<{ seen: string; echoed: string }>(
      (resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port,
          path: '/live',
          agent: false,
          headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
        });
        req.on('upgrade', (res, socket) => {
          socket.once('data', (chunk: Buffer) => {
            resolve({
              seen: String(res.headers['x-seen-forwarded-for']),
              echoed: chunk.toString(),
            });
            socket.destroy();
          });
          socket.write('ping');
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(seen).toBe('127.0.0.1');
    expect(echoed).toBe('echo ping');
    // Upgraded sockets belong to no HTTP exchange: the servers close only once they are gone.
    for (const socket of upgraded) socket.destroy();
    server.closeAllConnections();
  });

  it('answers 503 before any route, and HEAD in maintenance without a body', async () => {
    const proxy = new BuiltinProxy();
    const server = createServer(proxy.handle);
    const url = `http://127.0.0.1:${await listen(server)}`;
    closers.push(() => Promise.resolve(proxy.close()));
    const none = await get(url);
    expect(none.status).toBe(503);
    expect(JSON.parse(none.body)).toMatchObject({ error: 'no route' });
    proxy.setMaintenance({ message: 'later' });
    const head = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'HEAD', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(head).toEqual({ status: 503, body: '' });
  });
});

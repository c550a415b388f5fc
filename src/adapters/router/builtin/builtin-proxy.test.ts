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

describe('BuiltinProxy', () => {
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
    expect((await get(url)).status).toBe(200);
    expect(await post(url, 'payment=1')).toBe(502);
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

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, type Unavailable } from './find-binary.js';
import { freePort, stopProcess, until } from './prometheus-server.js';

/** A throwaway HAProxy in front of named servers, with its stats socket in a temp dir. */
export interface HaproxyServer {
  /** The frontend; a request with `x-side: NAME` goes to server NAME. */
  readonly url: string;
  readonly socketPath: string;
  readonly backend: string;
  /** Stops HAProxy and starts it again: its counters start from zero. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const BACKEND = 'app';

export async function startHaproxy(
  servers: readonly { readonly name: string; readonly host: string; readonly port: number }[],
): Promise<HaproxyServer | Unavailable> {
  const found = findBinary('haproxy', 'apt-get install haproxy');
  if ('skip' in found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-haproxy-'));
  const socketPath = join(dir, 'admin.sock');
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      `  stats socket ${socketPath} mode 600 level admin`,
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 10s',
      '  timeout server 10s',
      'frontend web',
      `  bind 127.0.0.1:${port}`,
      `  default_backend ${BACKEND}`,
      `backend ${BACKEND}`,
      '  balance roundrobin',
      ...servers.map(({ name }) => `  use-server ${name} if { req.hdr(x-side) -m str ${name} }`),
      ...servers.map(({ name, host, port: p }) => `  server ${name} ${host}:${p}`),
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let stderr = '';
  const start = async () => {
    stderr = '';
    child = spawn(found.bin, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await until(10_000, `HAProxy up on ${port} (${stderr})`, async () => {
      if (!existsSync(socketPath)) return false;
      // A TCP connect, not a request: a request would be counted by a server.
      return new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    });
  };
  const cleanup = () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    socketPath,
    backend: BACKEND,
    restart: async () => {
      if (child) await stopProcess(child);
      rmSync(socketPath, { force: true });
      await start();
    },
    stop: async () => {
      process.removeListener('exit', cleanup);
      if (child) await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

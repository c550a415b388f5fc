import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Unix socket paths are limited to ~108 bytes; leave room for the kernel's terminator. */
const MAX_SOCKET_PATH = 100;

/** The files of one builtin router, all in its state directory (ECLUSA_HOME/routers/<env>/). */
export interface BuiltinRouterPaths {
  readonly dir: string;
  /** Where to listen: written by the adapter before it starts the router. */
  readonly config: string;
  /** The current route and maintenance mode, written by the router before it answers. */
  readonly state: string;
  readonly pid: string;
  readonly log: string;
  readonly lock: string;
  /** The control API (HTTP over a Unix socket: reachable only by this machine's user). */
  readonly socket: string;
}

export interface BuiltinRouterConfig {
  readonly host: string;
  readonly port: number;
}

export function builtinRouterPaths(dir: string): BuiltinRouterPaths {
  const inDir = join(dir, 'control.sock');
  const socket =
    Buffer.byteLength(inDir) <= MAX_SOCKET_PATH
      ? inDir
      : join(
          tmpdir(),
          `eclusa-router-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`,
        );
  return {
    dir,
    config: join(dir, 'config.json'),
    state: join(dir, 'state.json'),
    pid: join(dir, 'router.pid'),
    log: join(dir, 'router.log'),
    lock: join(dir, 'start.lock'),
    socket,
  };
}

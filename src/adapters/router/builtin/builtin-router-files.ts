import { join } from 'node:path';
import { socketPathIn } from '../socket-path.js';

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
  const socket = socketPathIn(dir, 'control.sock');
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

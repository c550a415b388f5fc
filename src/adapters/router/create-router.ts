import { join } from 'node:path';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import type { RouterConfig } from '../../core/policy/schema/router.js';
import type { TrafficRouter } from '../../core/router/traffic-router.js';
import { BuiltinRouter } from './builtin/builtin-router.js';
import type { RouterEntry } from './builtin/builtin-router-entry.js';
import { HaproxyRouter } from './haproxy/haproxy-router.js';
import { NginxRouter } from './nginx/nginx-router.js';
import { socketPathIn } from './socket-path.js';

export interface RouterContext {
  /** ECLUSA_HOME: each environment's router keeps its files in routers/<environment>/. */
  readonly home: string;
  readonly environment: string;
  /** How to run the builtin router's process (tests; default: beside the bundle). */
  readonly builtinEntry?: RouterEntry;
}

/** Where an environment's HAProxy answers `show stat`, and which servers carry which side. */
export interface HaproxyStats {
  readonly socketPath: string;
  readonly backend: string;
  readonly servers: { readonly stable: string; readonly canary: string };
}

function routerDir(context: RouterContext): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(context.environment)) {
    throw invalidInput(
      'ROUTER_ENVIRONMENT',
      `"${context.environment}" is not an environment name`,
      {
        hint: 'environment names are lowercase letters, digits, ".", "_" and "-"',
      },
    );
  }
  return join(context.home, 'routers', context.environment);
}

const defaultNameOf = (environment: string): string =>
  `eclusa_${environment.replace(/[^a-z0-9]/g, '_')}`;

/**
 * The stats an analysis with `source: haproxy` reads: the same socket, backend and servers
 * the router drives (a managed HAProxy's socket under ECLUSA_HOME). Undefined for another router.
 */
export function haproxyStatsOf(
  config: RouterConfig | undefined,
  context: RouterContext,
): HaproxyStats | undefined {
  if (config?.type !== 'haproxy') return undefined;
  const socketPath =
    config.manage === true ? socketPathIn(routerDir(context), 'admin.sock') : config.socket;
  if (socketPath === undefined) return undefined;
  return {
    socketPath,
    backend: config.backend ?? defaultNameOf(context.environment),
    servers: config.servers ?? { stable: 'stable', canary: 'canary' },
  };
}

/** The TrafficRouter an environment's `router:` policy asks for. */
export function createRouter(config: RouterConfig, context: RouterContext): TrafficRouter {
  const dir = routerDir(context);
  const defaultName = defaultNameOf(context.environment);
  switch (config.type) {
    case 'builtin':
      return new BuiltinRouter({
        dir,
        port: config.listen,
        host: config.host,
        entry: context.builtinEntry,
      });
    case 'haproxy':
      if (config.manage === true && config.listen === undefined) {
        throw invalidInput('ROUTER_INCOMPLETE', 'a managed HAProxy needs router.listen', {
          hint: 'add listen: 8080 to the environment’s router',
        });
      }
      return new HaproxyRouter({
        dir,
        manage: config.manage === true,
        listen: config.listen,
        host: config.host,
        binary: config.binary,
        socket: config.socket,
        backend: config.backend ?? defaultName,
        servers: config.servers ?? { stable: 'stable', canary: 'canary' },
        maintenanceMap: config.maintenanceMap,
      });
    case 'nginx':
      return new NginxRouter({
        dir,
        manage: config.manage === true,
        listen: config.listen,
        host: config.host,
        binary: config.binary,
        config: config.config,
        mainConfig: config.mainConfig,
        upstream: config.upstream ?? defaultName,
        reload: config.reload,
      });
  }
}

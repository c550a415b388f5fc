import { lookup } from 'node:dns/promises';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import type {
  Backend,
  Route,
  RouterHealth,
  RouterState,
  TrafficRouter,
} from '../../../core/router/traffic-router.js';
import { validateRoute } from '../../../core/router/validate-route.js';
import { maintenanceHtml, maintenanceJson } from '../maintenance-page.js';
import {
  readPersistedRoute,
  writePersistedRoute,
  type PersistedRoute,
} from '../persisted-route.js';
import { socketPathIn } from '../socket-path.js';
import { isAlive, withStartLock } from '../start-lock.js';
import { cliArgument, HaproxyClient, type ServerState } from './haproxy-client.js';
import { balanceOf, oneLine, renderHaproxyConfig, renderMaintenanceMap } from './haproxy-config.js';
import { carriesTraffic, planServerCommands, type DesiredServer } from './haproxy-plan.js';
import {
  readPid,
  reloadHaproxy,
  startHaproxy,
  stopHaproxy,
  type HaproxyFiles,
} from './haproxy-process.js';

export interface HaproxyRouterOptions {
  /** eclusa's state directory for this router, e.g. ECLUSA_HOME/routers/<environment>. */
  readonly dir: string;
  /** true: eclusa renders haproxy.cfg in `dir` and runs haproxy itself. */
  readonly manage: boolean;
  readonly listen?: number;
  readonly host?: string;
  readonly binary?: string;
  /** Admin socket of an HAProxy the team runs (not managed). */
  readonly socket?: string;
  readonly backend: string;
  readonly servers: { readonly stable: string; readonly canary: string };
  /** Map file of the maintenance switch (managed: always `dir/maintenance.map`). */
  readonly maintenanceMap?: string;
}

/**
 * Routes through HAProxy's runtime API: weights, addresses and maintenance change live on
 * the admin socket, without a reload, so no connection is dropped. A managed HAProxy is
 * also rendered and started by eclusa, and its haproxy.cfg is rewritten after each change
 * so that a restarted HAProxy comes back with the same route.
 */
export class HaproxyRouter implements TrafficRouter {
  readonly kind = 'haproxy';
  private readonly client: HaproxyClient;
  private readonly files: HaproxyFiles;
  private readonly statePath: string;
  private readonly map: string | undefined;

  constructor(private readonly options: HaproxyRouterOptions) {
    const socket = options.manage ? socketPathIn(options.dir, 'admin.sock') : options.socket;
    if (socket === undefined) {
      throw invalidInput('ROUTER_INCOMPLETE', 'an HAProxy router needs its admin socket', {
        hint: 'set router.socket, or router.manage: true',
      });
    }
    this.client = new HaproxyClient(socket);
    this.files = {
      binary: options.binary ?? 'haproxy',
      config: join(options.dir, 'haproxy.cfg'),
      pid: join(options.dir, 'haproxy.pid'),
      socket,
    };
    this.statePath = join(options.dir, 'state.json');
    this.map = options.manage ? join(options.dir, 'maintenance.map') : options.maintenanceMap;
  }

  /**
   * Makes sure HAProxy runs (a managed one is started from its rendered configuration) and
   * carries the route eclusa last set: an HAProxy restarted from a configuration of its own
   * — a team's, which eclusa does not write — comes back with that file's weights, and gets
   * the persisted route again here.
   */
  async ensure(): Promise<RouterState> {
    await this.running();
    const persisted = await readPersistedRoute(this.statePath);
    if (persisted.route !== undefined) {
      await this.applyServers(persisted.route, await addressesOf(persisted.route));
    }
    return this.state();
  }

  /** A managed HAProxy that is down is started, from files that hold the persisted route. */
  private async running(): Promise<void> {
    if (!this.options.manage || (await this.answers())) return;
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    await withStartLock(join(this.options.dir, 'start.lock'), async () => {
      if (await this.answers()) return;
      await this.refuseDeafHaproxy();
      const persisted = await readPersistedRoute(this.statePath);
      await this.writeFiles(persisted);
      await startHaproxy(this.files);
    });
  }

  /**
   * An HAProxy of ours that runs but whose admin socket is gone still holds the port and
   * serves with the weights it has. Starting a second one beside it would share the port
   * (SO_REUSEPORT) and split the traffic between two routes: refuse, and say what to do.
   */
  private async refuseDeafHaproxy(): Promise<void> {
    const pid = await readPid(this.files.pid);
    if (pid === undefined || !isAlive(pid)) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    // After a reboot the pid may belong to an unrelated process: ours names its config.
    if (cmdline !== undefined && !cmdline.includes(this.files.config)) return;
    throw new EclusaError(
      'failed',
      'HAPROXY_SOCKET_GONE',
      `haproxy pid ${pid} runs but its admin socket ${this.files.socket} does not answer`,
      {
        hint: `traffic stays as it was; stop it (kill ${pid}) and eclusa starts it again with the last route`,
        retryable: true,
      },
    );
  }

  async apply(route: Route): Promise<RouterState> {
    validateRoute(route);
    await this.running();
    const addresses = await addressesOf(route);
    // Read HAProxy first: with its socket gone nothing is recorded and traffic stays as it was.
    let current = await this.servers();
    const previous = await readPersistedRoute(this.statePath);
    const next = { ...previous, route };
    await writePersistedRoute(this.statePath, next);
    if (this.options.manage) {
      await this.writeFiles(next, addresses);
      // The balance algorithm (sticky or not) is not changeable at run time: reload for it.
      if (balanceOf(previous.route) !== balanceOf(route)) {
        await reloadHaproxy(this.files);
        current = await this.servers();
      }
    }
    await this.applyServers(route, addresses, current);
    return this.state();
  }

  /** Brings the backend's two servers to the route, and checks that HAProxy took it. */
  private async applyServers(
    route: Route,
    addresses: { stable: string; canary: string | undefined },
    servers?: readonly ServerState[],
  ): Promise<void> {
    const current = servers ?? (await this.servers());
    const desired = this.desired(route, addresses, current);
    const commands = planServerCommands(this.options.backend, current, desired);
    if (commands.length === 0) return;
    const answer = await this.client.run(commands);
    const after = await this.servers();
    const wrong = desired.filter((want) => !matches(after, want));
    if (wrong.length > 0) {
      throw new EclusaError(
        'failed',
        'HAPROXY_APPLY_FAILED',
        `HAProxy did not take the route: ${answer.trim()}`,
        {
          hint: `servers not as asked: ${wrong.map((w) => w.name).join(', ')}; eclusa retries the step`,
          retryable: true,
        },
      );
    }
  }

  async setMaintenance(
    maintenance: { readonly message: string } | undefined,
  ): Promise<RouterState> {
    const map = this.map;
    if (map === undefined) {
      throw invalidInput(
        'HAPROXY_NO_MAINTENANCE_MAP',
        'this HAProxy router has no maintenance map',
        {
          hint: 'set router.maintenanceMap and add the two http-request return lines of docs/routers.md',
        },
      );
    }
    await this.running();
    const previous = await readPersistedRoute(this.statePath);
    await writePersistedRoute(this.statePath, { ...previous, maintenance });
    // The file too, so that HAProxy started or reloaded later reads the same switch.
    await writeFile(map, renderMaintenanceMap(maintenance));
    const current = await this.client.map(map);
    const commands: string[] = [];
    if (maintenance === undefined) {
      if (current.has('on')) commands.push(`del map ${map} on`);
    } else {
      const message = oneLine(maintenance.message);
      for (const [key, value] of [
        ['html', maintenanceHtml(message)],
        ['json', maintenanceJson(message)],
      ] as const) {
        commands.push(
          `${current.has(key) ? 'set' : 'add'} map ${map} ${key} ${cliArgument(value)}`,
        );
      }
      if (!current.has('on')) commands.push(`add map ${map} on on`);
    }
    if (commands.length > 0) await this.client.run(commands);
    return this.state();
  }

  async state(): Promise<RouterState> {
    const servers = await this.servers();
    const persisted = await readPersistedRoute(this.statePath);
    const route = observedRoute(servers, this.options.servers, persisted.route);
    const map = this.map === undefined ? undefined : await this.client.map(this.map);
    const on = map?.get('on') === 'on';
    return {
      url: this.url(),
      route,
      maintenance: on ? { message: persisted.maintenance?.message ?? '' } : undefined,
    };
  }

  async health(): Promise<RouterHealth> {
    const [stats, state] = await Promise.all([this.client.stats(), this.state()]);
    const sideOf = (name: string): Backend | undefined =>
      name === this.options.servers.stable ? state.route?.stable : state.route?.canary;
    return {
      backends: stats
        .filter((stat) => stat.backend === this.options.backend)
        .map((stat) => ({
          id: sideOf(stat.name)?.id ?? stat.name,
          version: sideOf(stat.name)?.version,
          requests: stat.requests,
          errors5xx: stat.errors5xx,
        })),
    };
  }

  async shutdown(): Promise<void> {
    if (this.options.manage) await stopHaproxy(this.files);
  }

  private url(): string {
    const { listen, host = '127.0.0.1' } = this.options;
    if (listen === undefined) return `haproxy+unix://${this.files.socket}#${this.options.backend}`;
    return `http://${host.includes(':') ? `[${host}]` : host}:${listen}`;
  }

  private async answers(): Promise<boolean> {
    try {
      await this.client.run(['show info']);
      return true;
    } catch (error) {
      if (error instanceof EclusaError && error.code === 'HAPROXY_SOCKET_GONE') return false;
      throw error;
    }
  }

  private async writeFiles(
    persisted: PersistedRoute,
    addresses?: { stable?: string; canary?: string },
  ): Promise<void> {
    const { route } = persisted;
    const resolved = addresses ?? {
      stable: route === undefined ? undefined : await resolve(route.stable),
      canary: route?.canary === undefined ? undefined : await resolve(route.canary),
    };
    const map = this.map ?? join(this.options.dir, 'maintenance.map');
    await writeFile(map, renderMaintenanceMap(persisted.maintenance));
    const config = renderHaproxyConfig({
      host: this.options.host ?? '127.0.0.1',
      port: this.options.listen ?? 0,
      socket: this.files.socket,
      backend: this.options.backend,
      servers: this.options.servers,
      maintenanceMap: map,
      route,
      addresses: resolved,
    });
    const before = await readFile(this.files.config, 'utf8').catch(() => '');
    if (before !== config) await writeFile(this.files.config, config);
  }

  private async servers(): Promise<ServerState[]> {
    const all = await this.client.serversState(this.options.backend);
    for (const name of [this.options.servers.stable, this.options.servers.canary]) {
      if (!all.some((server) => server.name === name)) {
        throw invalidInput(
          'HAPROXY_NO_SERVER',
          `backend ${this.options.backend} has no server "${name}"`,
          {
            hint: `declare "server ${name} 127.0.0.1:1 weight 0 disabled" in it, or set router.servers`,
          },
        );
      }
    }
    return all;
  }

  private desired(
    route: Route,
    addresses: { stable: string; canary: string | undefined },
    current: readonly ServerState[],
  ): DesiredServer[] {
    const { stable, canary } = this.options.servers;
    const weight = route.canary === undefined ? 0 : route.canaryWeight;
    const now = current.find((server) => server.name === canary);
    return [
      {
        name: stable,
        addr: addresses.stable,
        port: route.stable.endpoint.port,
        weight: 100 - weight,
        active: true,
      },
      route.canary === undefined || addresses.canary === undefined
        ? {
            name: canary,
            addr: now?.addr ?? '127.0.0.1',
            port: now?.port ?? 1,
            weight: 0,
            active: false,
          }
        : {
            name: canary,
            addr: addresses.canary,
            port: route.canary.endpoint.port,
            weight,
            active: true,
          },
    ];
  }
}

async function addressesOf(route: Route): Promise<{ stable: string; canary: string | undefined }> {
  return {
    stable: await resolve(route.stable),
    canary: route.canary === undefined ? undefined : await resolve(route.canary),
  };
}

/** HAProxy's runtime API takes IP addresses, not names. */
async function resolve(backend: Backend): Promise<string> {
  const host = backend.endpoint.host;
  if (isIP(host) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch (error) {
    throw invalidInput('ROUTE_ENDPOINT', `backend ${backend.id}: cannot resolve ${host}`, {
      hint: 'give the endpoint as an IP address or a name this machine resolves',
      cause: error,
    });
  }
}

function matches(servers: readonly ServerState[], want: DesiredServer): boolean {
  const server = servers.find((candidate) => candidate.name === want.name);
  if (server === undefined) return false;
  if (!want.active) return !carriesTraffic(server);
  return server.addr === want.addr && server.port === want.port && server.weight === want.weight;
}

/**
 * The route HAProxy applies now, read from its servers; ids and versions come from the
 * route eclusa persisted when its endpoints still match what HAProxy runs.
 */
export function observedRoute(
  servers: readonly ServerState[],
  names: { readonly stable: string; readonly canary: string },
  persisted: Route | undefined,
): Route | undefined {
  const stable = servers.find((server) => server.name === names.stable);
  const canary = servers.find((server) => server.name === names.canary);
  if (stable === undefined || (stable.port === 1 && stable.weight === 0)) return undefined;
  const known = (server: ServerState, backend: Backend | undefined): Backend => {
    const same =
      backend !== undefined &&
      backend.endpoint.port === server.port &&
      (backend.endpoint.host === server.addr || isIP(backend.endpoint.host) === 0);
    return same
      ? backend
      : { id: server.name, version: 'unknown', endpoint: { host: server.addr, port: server.port } };
  };
  const canaryOn = canary !== undefined && carriesTraffic(canary);
  const stableWeight = carriesTraffic(stable) ? stable.weight : 0;
  const canaryWeight = canaryOn ? canary.weight : 0;
  const total = stableWeight + canaryWeight;
  return {
    stable: known(stable, persisted?.stable),
    ...(canaryOn ? { canary: known(canary, persisted?.canary) } : {}),
    canaryWeight: total === 0 ? 0 : Math.round((100 * canaryWeight) / total),
    ...(persisted?.sticky === undefined ? {} : { sticky: persisted.sticky }),
  };
}

import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import type { Route, RouterState, TrafficRouter } from '../../../core/router/traffic-router.js';
import { validateRoute } from '../../../core/router/validate-route.js';
import {
  readPersistedRoute,
  writePersistedRoute,
  type PersistedRoute,
} from '../persisted-route.js';
import { socketPathIn } from '../socket-path.js';
import { isAlive, withStartLock } from '../start-lock.js';
import { renderNginxMain, renderNginxSite } from './nginx-config.js';
import { oldWorkersRetired, workersOf } from './nginx-workers.js';
import {
  quitNginx,
  reloadNginx,
  startNginx,
  testNginx,
  type NginxCommand,
} from './nginx-process.js';

export interface NginxRouterOptions {
  /** eclusa's state directory for this router, e.g. ECLUSA_HOME/routers/<environment>. */
  readonly dir: string;
  /** true: eclusa writes a whole nginx.conf in `dir` and runs nginx itself. */
  readonly manage: boolean;
  readonly listen: number;
  readonly host?: string;
  readonly binary?: string;
  /** The file eclusa renders, included in nginx's http block (not managed). */
  readonly config?: string;
  /** nginx's main configuration, passed as -c (not managed; default: nginx's own). */
  readonly mainConfig?: string;
  readonly upstream: string;
  /** The team's graceful reload command (default: nginx -s reload). */
  readonly reload?: string;
  /** Bound on the wait for a reload to take effect. */
  readonly reloadTimeoutMs?: number;
}

/**
 * Routes through nginx: each change renders the upstream with weights, asks `nginx -t`,
 * and reloads gracefully; a refused configuration is put back as it was and nginx's own
 * message is reported. A change counts as done only once nginx serves the new generation.
 */
export class NginxRouter implements TrafficRouter {
  readonly kind = 'nginx';
  private readonly site: string;
  private readonly main: string | undefined;
  private readonly control: string;
  private readonly statePath: string;
  private readonly command: NginxCommand;

  constructor(private readonly options: NginxRouterOptions) {
    const { dir, manage } = options;
    const site = manage ? join(dir, 'site.conf') : options.config;
    if (site === undefined) {
      throw invalidInput('ROUTER_INCOMPLETE', 'an nginx router needs the file it renders', {
        hint: 'set router.config to a file included in nginx’s http block, or router.manage: true',
      });
    }
    this.site = site;
    this.main = manage ? join(dir, 'nginx.conf') : options.mainConfig;
    this.control = socketPathIn(dir, 'nginx-control.sock');
    this.statePath = join(dir, 'state.json');
    const flags = manage
      ? ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]
      : this.main === undefined
        ? []
        : ['-c', this.main];
    this.command = { binary: options.binary ?? 'nginx', flags, reload: options.reload };
  }

  async ensure(): Promise<RouterState> {
    if ((await this.generation()) === undefined) {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
      await withStartLock(join(this.options.dir, 'start.lock'), async () => {
        if ((await this.generation()) !== undefined) return;
        await this.publish(await readPersistedRoute(this.statePath));
      });
    }
    return this.state();
  }

  async apply(route: Route): Promise<RouterState> {
    validateRoute(route);
    const sticky = route.sticky?.header ?? route.sticky?.cookie;
    const pattern = route.sticky?.header !== undefined ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9_]+$/;
    if (sticky !== undefined && !pattern.test(sticky)) {
      throw invalidInput('ROUTE_STICKY', `nginx cannot hash on "${sticky}"`, {
        hint: 'nginx variables take letters, digits and "_" (and "-" in header names)',
      });
    }
    return this.change((current) => ({ ...current, route }));
  }

  async setMaintenance(
    maintenance: { readonly message: string } | undefined,
  ): Promise<RouterState> {
    return this.change((current) => ({ ...current, maintenance }));
  }

  async state(): Promise<RouterState> {
    const persisted = await readPersistedRoute(this.statePath);
    const { host = '127.0.0.1', listen } = this.options;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${listen}`,
      route: persisted.route,
      maintenance: persisted.maintenance,
    };
  }

  async shutdown(): Promise<void> {
    if (!this.options.manage) return;
    const pid = await this.masterPid();
    if (pid === undefined || !isAlive(pid)) return;
    await quitNginx(this.command);
    const deadline = Date.now() + 15_000;
    while (isAlive(pid) && Date.now() < deadline) await delay(25);
  }

  private async change(edit: (current: PersistedRoute) => PersistedRoute): Promise<RouterState> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const next = edit(await readPersistedRoute(this.statePath));
    await this.publish(next);
    // Recorded only once nginx serves it: the state file never runs ahead of nginx.
    await writePersistedRoute(this.statePath, next);
    return this.state();
  }

  /** Renders, tests, (re)loads and waits until nginx serves the new generation. */
  private async publish(state: PersistedRoute): Promise<void> {
    const generation = randomBytes(8).toString('hex');
    const text = renderNginxSite({
      upstream: this.options.upstream,
      host: this.options.host ?? '127.0.0.1',
      port: this.options.listen,
      controlSocket: this.control,
      generation,
      route: state.route,
      maintenance: state.maintenance,
    });
    if (this.options.manage) {
      for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
        await mkdir(join(this.options.dir, 'tmp', kind), { recursive: true });
      }
      await writeFile(
        join(this.options.dir, 'nginx.conf'),
        renderNginxMain({ dir: this.options.dir, site: this.site }),
      );
    }
    const previous = await readFile(this.site, 'utf8').catch(() => undefined);
    await writeFile(this.site, text);
    const refused = await testNginx(this.command);
    if (refused !== undefined) {
      if (previous === undefined) await rm(this.site, { force: true });
      else await writeFile(this.site, previous);
      throw new EclusaError(
        'failed',
        'NGINX_CONFIG_REJECTED',
        `nginx -t refused the new configuration: ${refused}`,
        {
          hint: `the previous configuration stays in place and keeps serving; fix the route or ${this.site}`,
        },
      );
    }
    const master = this.options.manage ? await this.masterPid() : undefined;
    const running = master !== undefined && isAlive(master);
    const old = running ? await workersOf(master) : new Set<number>();
    if (this.options.manage && !running) await startNginx(this.command);
    else await reloadNginx(this.command);
    const deadline = Date.now() + (this.options.reloadTimeoutMs ?? 15_000);
    // Without the master's pid (an nginx the team runs), several answers in a row stand in
    // for watching the old workers retire.
    const needed = master !== undefined ? 1 : 5;
    let confirmations = 0;
    for (;;) {
      confirmations = (await this.generation()) === generation ? confirmations + 1 : 0;
      if (confirmations >= needed && (await oldWorkersRetired(old))) break;
      if (Date.now() > deadline) {
        throw new EclusaError(
          'failed',
          'NGINX_NOT_LOADED',
          `nginx does not serve ${this.site} yet`,
          {
            hint: this.options.manage
              ? `see ${join(this.options.dir, 'error.log')}`
              : `is ${this.site} included in nginx’s http block? see nginx’s error log`,
            retryable: true,
          },
        );
      }
      await delay(confirmations > 0 ? 5 : 25);
    }
  }

  private async masterPid(): Promise<number | undefined> {
    const text = await readFile(join(this.options.dir, 'nginx.pid'), 'utf8').catch(() => '');
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** The generation nginx's new workers answer on the control socket (a fresh connection). */
  private generation(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const req = request(
        { socketPath: this.control, path: '/generation', agent: false, timeout: 2_000 },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
          res.on('error', () => resolve(undefined));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
      req.end();
    });
  }
}

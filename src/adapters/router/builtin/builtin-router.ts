import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import type {
  Route,
  RouterHealth,
  RouterState,
  TrafficRouter,
} from '../../../core/router/traffic-router.js';
import { validateRoute } from '../../../core/router/validate-route.js';
import { isAlive, withStartLock } from '../start-lock.js';
import { callRouter, isUnreachable } from './builtin-control-client.js';
import { builtinRouterPaths, type BuiltinRouterPaths } from './builtin-router-files.js';
import { defaultRouterEntry, type RouterEntry } from './builtin-router-entry.js';

export interface BuiltinRouterOptions {
  /** The router's state directory, e.g. ECLUSA_HOME/routers/<environment>. */
  readonly dir: string;
  readonly port: number;
  readonly host?: string;
  /** How to run the router process (default: dist/router.cjs beside the bundle, or tsx). */
  readonly entry?: RouterEntry;
  readonly startTimeoutMs?: number;
}

/**
 * The embedded router: a reverse proxy in its own detached process, one per environment,
 * driven through a control socket in its state directory. This class only starts it and
 * talks to it; the traffic never passes through the eclusa process.
 */
export class BuiltinRouter implements TrafficRouter {
  readonly kind = 'builtin';
  private readonly paths: BuiltinRouterPaths;
  private readonly host: string;
  private readonly url: string;

  constructor(private readonly options: BuiltinRouterOptions) {
    this.paths = builtinRouterPaths(options.dir);
    this.host = options.host ?? '127.0.0.1';
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${options.port}`;
  }

  async ensure(): Promise<RouterState> {
    const running = await this.probe();
    if (running !== undefined) return this.sameListener(running);
    await mkdir(this.paths.dir, { recursive: true, mode: 0o700 });
    return withStartLock(this.paths.lock, async () => {
      const started = await this.probe();
      if (started !== undefined) return this.sameListener(started);
      await this.refuseHungRouter();
      await writeFile(
        this.paths.config,
        JSON.stringify({ host: this.host, port: this.options.port }),
      );
      return this.start();
    });
  }

  async apply(route: Route): Promise<RouterState> {
    validateRoute(route);
    return this.call<RouterState>('PUT', '/route', route);
  }

  async setMaintenance(
    maintenance: { readonly message: string } | undefined,
  ): Promise<RouterState> {
    return this.call<RouterState>('PUT', '/maintenance', maintenance ?? null);
  }

  async state(): Promise<RouterState> {
    return this.call<RouterState>('GET', '/state');
  }

  async health(): Promise<RouterHealth> {
    return this.call<RouterHealth>('GET', '/health');
  }

  async shutdown(): Promise<void> {
    const pid = await this.readPid();
    try {
      await callRouter(this.paths.socket, 'POST', '/shutdown');
    } catch (error) {
      if (isUnreachable(error)) return;
      throw error;
    }
    const deadline = Date.now() + 15_000;
    while (pid !== undefined && isAlive(pid)) {
      if (Date.now() > deadline) {
        throw new EclusaError('failed', 'ROUTER_STOP_TIMEOUT', `router pid ${pid} did not stop`, {
          hint: `requests are still in flight; kill ${pid} if it must stop now`,
          retryable: true,
        });
      }
      await delay(25);
    }
  }

  /** A call that starts the router first when it is not running (after a reboot, a crash). */
  private async call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    try {
      return await callRouter<T>(this.paths.socket, method, path, body);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
    }
    await this.ensure();
    return callRouter<T>(this.paths.socket, method, path, body);
  }

  private async probe(): Promise<RouterState | undefined> {
    try {
      return await callRouter<RouterState>(this.paths.socket, 'GET', '/state', undefined, 2_000);
    } catch (error) {
      if (isUnreachable(error)) return undefined;
      throw error;
    }
  }

  private sameListener(state: RouterState): RouterState {
    if (state.url !== this.url) {
      throw invalidInput(
        'ROUTER_LISTEN_CHANGED',
        `the router of ${this.paths.dir} listens on ${state.url}, the policy says ${this.url}`,
        { hint: 'stop the running router first (its route is kept), then start it again' },
      );
    }
    return state;
  }

  /** A router that lives but does not answer holds the port: starting another cannot work. */
  private async refuseHungRouter(): Promise<void> {
    const pid = await this.readPid();
    if (pid === undefined || !isAlive(pid)) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    // After a reboot the pid may belong to an unrelated process: ours names its directory.
    if (cmdline !== undefined && !cmdline.includes(this.paths.dir)) return;
    throw new EclusaError('failed', 'ROUTER_UNRESPONSIVE', `router pid ${pid} does not answer`, {
      hint: `see ${this.paths.log}; kill ${pid} and eclusa starts it again with the same route`,
      retryable: true,
    });
  }

  private async start(): Promise<RouterState> {
    const entry = this.options.entry ?? defaultRouterEntry();
    const log = openSync(this.paths.log, 'a', 0o600);
    let exited: number | null | undefined;
    try {
      const child = spawn(entry.command, [...entry.args, this.paths.dir], {
        cwd: entry.cwd ?? this.paths.dir,
        // Its own session: no signal aimed at eclusa's process group or terminal reaches it.
        detached: true,
        stdio: ['ignore', log, log],
      });
      child.once('exit', (code) => (exited = code));
      child.once('error', () => (exited = -1));
      child.unref();
    } finally {
      closeSync(log);
    }
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    for (;;) {
      const state = await this.probe();
      if (state !== undefined) return this.sameListener(state);
      if (exited !== undefined || Date.now() > deadline) {
        const tail = await this.logTail();
        throw new EclusaError(
          'failed',
          'ROUTER_START_FAILED',
          `the builtin router did not start: ${tail}`,
          {
            hint: `see ${this.paths.log}; is port ${this.options.port} free?`,
            retryable: true,
          },
        );
      }
      await delay(25);
    }
  }

  private async readPid(): Promise<number | undefined> {
    const text = await readFile(this.paths.pid, 'utf8').catch(() => '');
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** The line of the log that says why the router stopped (Node ends a crash with its version). */
  private async logTail(): Promise<string> {
    const text = await readFile(this.paths.log, 'utf8').catch(() => '');
    const lines = text.trim().split('\n').slice(-30);
    const cause = lines.filter((line) => /error|cannot|EADDR|EACCES/i.test(line)).pop();
    return cause?.trim() ?? lines.pop() ?? 'no output';
  }
}

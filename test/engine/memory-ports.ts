import type { CommandRunner } from '../../src/core/command/command-runner.js';
import type { EnginePorts, Notifier, Verifier } from '../../src/core/engine/step-executor.js';
import type { Route, RouterState, TrafficRouter } from '../../src/core/router/traffic-router.js';
import { SecretResolver } from '../../src/core/secrets/secret-resolver.js';
import type {
  SlotRef,
  StartRequest,
  Target,
  TargetInstance,
} from '../../src/core/target/target.js';

/**
 * In-memory Target, TrafficRouter, Verifier and CommandRunner for the engine's unit tests:
 * they record what the engine asked for, so a test can check the world it leaves behind.
 * The real adapters pass their own contract suites against real processes.
 */
export class MemoryWorld {
  readonly instances = new Map<string, TargetInstance>();
  readonly routes: Route[] = [];
  maintenance: string | undefined;
  /** Versions whose start fails, and versions whose verification fails. */
  readonly failStart = new Set<string>();
  readonly failVerify = new Set<string>();
  starts = 0;
  /** Every message the engine sent to a channel, in order. */
  readonly notifications: { channel: string; message: string }[] = [];
  /** Calls of the router's ensure (the analysis step's check before each measurement). */
  ensures = 0;
  private nextPort = 41000;

  target(): Target {
    return {
      kind: 'memory',
      start: (request: StartRequest) => {
        const key = `${request.environment}/${request.component}/${request.slot}`;
        const existing = this.instances.get(key);
        if (existing?.version === request.version && existing.state === 'running')
          return Promise.resolve(existing);
        if (this.failStart.has(request.version))
          return Promise.reject(new Error(`${request.version} did not become ready`));
        this.starts++;
        const instance: TargetInstance = {
          component: request.component,
          environment: request.environment,
          slot: request.slot,
          version: request.version,
          state: 'running',
          endpoint: { host: '127.0.0.1', port: this.nextPort++ },
        };
        this.instances.set(key, instance);
        return Promise.resolve(instance);
      },
      stop: (slot: SlotRef) => {
        const key = `${slot.environment}/${slot.component}/${slot.slot}`;
        const existing = this.instances.get(key);
        if (existing) this.instances.set(key, { ...existing, state: 'stopped' });
        return Promise.resolve();
      },
      status: (component: string, environment: string) =>
        Promise.resolve(
          [...this.instances.values()].filter(
            (i) => i.component === component && i.environment === environment,
          ),
        ),
    };
  }

  router(): TrafficRouter {
    const state = (): RouterState => ({
      url: 'http://127.0.0.1:8080',
      ...(this.routes.at(-1) ? { route: this.routes.at(-1)! } : {}),
      ...(this.maintenance ? { maintenance: { message: this.maintenance } } : {}),
    });
    return {
      kind: 'memory',
      ensure: () => {
        this.ensures += 1;
        return Promise.resolve(state());
      },
      apply: (route) => {
        this.routes.push(route);
        return Promise.resolve(state());
      },
      setMaintenance: (m) => {
        this.maintenance = m?.message;
        return Promise.resolve(state());
      },
      state: () => Promise.resolve(state()),
      shutdown: () => Promise.resolve(),
    };
  }

  /** The version the router sends all traffic to now. */
  liveVersion(): string | undefined {
    const route = this.routes.at(-1);
    if (!route) return undefined;
    return route.canaryWeight >= 100 && route.canary ? route.canary.version : route.stable.version;
  }

  ports(): EnginePorts {
    const verifier: Verifier = {
      run: (name, check, target) => {
        const version = this.liveVersionFor(target.url);
        const ok = version !== undefined && !this.failVerify.has(version);
        return Promise.resolve({
          name,
          type: check.type,
          ok,
          attempts: 1,
          durationMs: 1,
          detail: ok ? `200 from ${version}` : `503 from ${version ?? 'nothing'}`,
        });
      },
    };
    const commands: CommandRunner = {
      run: () =>
        Promise.resolve({
          exitCode: 0,
          signal: null,
          timedOut: false,
          aborted: false,
          stdout: 'ok',
          tail: ['ok'],
          durationMs: 0,
        }),
    };
    const notifier: Notifier = {
      send: (channel, message) => {
        this.notifications.push({ channel, message });
        return Promise.resolve({ delivered: true, detail: 'recorded' });
      },
    };
    const target = this.target();
    const router = this.router();
    return {
      targetFor: () => target,
      router: () => router,
      verifier,
      commands,
      baseEnv: {},
      notifier,
      secrets: new SecretResolver({ env: () => undefined, file: () => undefined }),
      policyDir: '/tmp',
    };
  }

  private liveVersionFor(url: string | undefined): string | undefined {
    if (url === 'http://127.0.0.1:8080') return this.liveVersion();
    const port = Number(url?.split(':').at(-1));
    return [...this.instances.values()].find(
      (i) => i.endpoint?.port === port && i.state === 'running',
    )?.version;
  }
}

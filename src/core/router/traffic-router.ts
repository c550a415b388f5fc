import type { TargetEndpoint } from '../target/target.js';

/**
 * The TrafficRouter port: sends one environment's traffic to a stable backend and,
 * optionally, a share of it to a canary. Blue/green is weight 0 → 100 in one call.
 * Every method is idempotent: applying the route already in place changes nothing.
 */
export interface Backend {
  /** A stable name for the backend, e.g. `api-green` (used as the server name). */
  readonly id: string;
  readonly version: string;
  readonly endpoint: TargetEndpoint;
}

export interface Route {
  readonly stable: Backend;
  readonly canary?: Backend;
  /** Share of requests for the canary, 0–100; 0 when there is no canary. */
  readonly canaryWeight: number;
  /** Keep a client on one side by this header or cookie (a tenant, a user). */
  readonly sticky?: { readonly header?: string; readonly cookie?: string };
}

export interface RouterState {
  /** Where clients connect, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly route?: Route;
  readonly maintenance?: { readonly message: string };
}

/** Requests a router passed to one backend since the router started. */
export interface BackendHealth {
  readonly id: string;
  readonly version?: string;
  readonly requests: number;
  /** Responses with a 5xx status, the router's own 502/504 for an unreachable backend included. */
  readonly errors5xx: number;
}

export interface RouterHealth {
  /** When the counters started (the router's start), ISO 8601. */
  readonly since?: string;
  readonly backends: readonly BackendHealth[];
}

export interface TrafficRouter {
  readonly kind: string;
  /** Makes sure the router runs and answers (starting it if this adapter owns it). */
  ensure(): Promise<RouterState>;
  apply(route: Route): Promise<RouterState>;
  /** While on, every request gets the maintenance page (503, Retry-After). */
  setMaintenance(maintenance: { readonly message: string } | undefined): Promise<RouterState>;
  state(): Promise<RouterState>;
  /** Per-backend counters, for routers that keep them (builtin, HAProxy; not nginx). */
  health?(): Promise<RouterHealth>;
  /** Stops a router this adapter started; leaves one it only configures running. */
  shutdown(): Promise<void>;
}

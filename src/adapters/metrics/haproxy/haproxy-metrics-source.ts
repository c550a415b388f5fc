import { SOURCE_CAPABILITIES } from '../../../core/analysis/source-capabilities.js';
import {
  inconclusive,
  type Inconclusive,
  type MeasureRequest,
  type Measurement,
  type MetricsSide,
  type MetricsSource,
  type QueryReading,
  type SideWindow,
} from '../../../core/analysis/metrics-source.js';
import type { Clock } from '../../../core/time/clock.js';
import { PairedWindows } from '../paired-windows.js';
import { runtimeCommand } from './haproxy-client.js';
import { parseShowStat, serverCounters, type ServerCounters } from './haproxy-stat.js';

export interface HaproxySourceOptions {
  readonly clock: Clock;
  /** HAProxy's stats socket (`stats socket … level admin` or `level operator`). */
  readonly socketPath: string;
  /** The backend whose servers are the sides. */
  readonly backend: string;
  /**
   * The servers that carry each side (eclusa's router keeps the stable and the canary on two
   * fixed servers whatever their versions); without it, a side's `server` or `id` names it.
   */
  readonly servers?: { readonly stable: string; readonly canary: string };
  readonly timeoutMs?: number;
}

const HRSP_5XX = 4;
const ECON = 6;
const ERESP = 7;

/**
 * Per-server counters from HAProxy's runtime API (`show stat`): every response the server
 * gave by class, plus connection and response errors (requests HAProxy could not get an
 * answer for count as errors). Latency is HAProxy's `rtime`, an average over the server's
 * last 1024 requests: a mean, not a histogram, and not limited to the window.
 */
export class HaproxyMetricsSource implements MetricsSource {
  readonly kind = 'haproxy';
  readonly capabilities = SOURCE_CAPABILITIES.haproxy;
  readonly #options: HaproxySourceOptions;
  readonly #windows = new PairedWindows<ServerCounters>((before, after) => ({
    kind: 'window',
    window: windowOf(before, after),
  }));

  constructor(options: HaproxySourceOptions) {
    this.#options = options;
  }

  async measure(request: MeasureRequest): Promise<Measurement> {
    const at = this.#options.clock.now().toISOString();
    const answer = await runtimeCommand(
      this.#options.socketPath,
      'show stat',
      this.#options.timeoutMs ?? 2_000,
      request.signal,
    );
    const rows = answer.kind === 'text' ? parseShowStat(answer.text) : answer;
    const sides = [
      { side: request.canary, role: 'canary' as const },
      ...(request.stable ? [{ side: request.stable, role: 'stable' as const }] : []),
    ];
    // The side's window is keyed by the server read too: a version that moves from the canary
    // server to the stable one (the last canary step) starts a new window instead of being
    // diffed against another server's counters.
    const reads = sides.map(({ side, role }) => {
      const server = this.#serverOf(side, role, request.stable !== undefined);
      return { side: { ...side, server }, role, read: this.#read(rows, server, at) };
    });
    const [canary, stable] = this.#windows.advance(reads);
    const queries: Record<string, QueryReading> = {};
    for (const { name } of request.queries ?? []) {
      queries[name] = inconclusive('UNSUPPORTED', 'source haproxy cannot run PromQL queries');
    }
    return { at, canary: canary!, ...(stable ? { stable } : {}), queries };
  }

  /**
   * A side's `server`, else with `servers` the one its role is on — a version alone (no
   * stable side: the switch is done) is on the stable server — else its `id`.
   */
  #serverOf(side: MetricsSide, role: 'canary' | 'stable', shared: boolean): string {
    if (side.server !== undefined) return side.server;
    const servers = this.#options.servers;
    if (!servers) return side.id;
    return role === 'canary' && shared ? servers.canary : servers.stable;
  }

  #read(
    rows: ReturnType<typeof parseShowStat> | Inconclusive,
    server: string,
    at: string,
  ): ServerCounters | Inconclusive {
    if (typeof rows === 'string') return inconclusive('GARBAGE', `HAProxy's socket: ${rows}`);
    if (!Array.isArray(rows)) return rows;
    const { backend } = this.#options;
    const row = rows.find((r) => r['pxname'] === backend && r['svname'] === server);
    if (!row) {
      const known = rows
        .filter((r) => r['pxname'] === backend && r['svname'] !== 'BACKEND')
        .map((r) => r['svname']);
      return inconclusive(
        'NOT_FOUND',
        `HAProxy has no server ${server} in backend ${backend} (servers: ${known.join(', ') || 'none'})`,
      );
    }
    const counters = serverCounters(row, at);
    return typeof counters === 'string'
      ? inconclusive('GARBAGE', `HAProxy server ${backend}/${server}: ${counters}`)
      : counters;
  }

  close(): Promise<void> {
    this.#windows.clear();
    return Promise.resolve();
  }
}

function windowOf(before: ServerCounters, after: ServerCounters): SideWindow {
  // Any counter going down means HAProxy restarted: everything counted since is new.
  const reset = after.counters.some((value, i) => value < before.counters[i]!);
  const delta = after.counters.map((value, i) => (reset ? value : value - before.counters[i]!));
  const requests = delta.reduce((sum, value) => sum + value, 0);
  const errors = delta[HRSP_5XX]! + delta[ECON]! + delta[ERESP]!;
  return {
    from: before.at,
    to: after.at,
    requests,
    errors,
    ...(requests > 0 && after.rtimeMs !== undefined
      ? { latency: { observations: requests, meanSeconds: after.rtimeMs / 1000 } }
      : {}),
  };
}

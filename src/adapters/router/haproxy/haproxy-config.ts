import type { Route } from '../../../core/router/traffic-router.js';
import {
  maintenanceHtml,
  maintenanceJson,
  MAINTENANCE_RETRY_AFTER_S,
} from '../maintenance-page.js';

/** Everything a managed HAProxy's configuration is made of. */
export interface HaproxyConfigInput {
  readonly host: string;
  readonly port: number;
  readonly socket: string;
  readonly backend: string;
  readonly servers: { readonly stable: string; readonly canary: string };
  readonly maintenanceMap: string;
  /** The route to start with (persisted), so a restarted HAProxy comes back as it was. */
  readonly route?: Route;
  /** Endpoints of the route resolved to IP addresses (HAProxy's runtime API takes IPs). */
  readonly addresses?: { readonly stable?: string; readonly canary?: string };
}

/** Where a server that carries nothing points: a closed port, never reached (maintenance). */
const NOWHERE = '127.0.0.1:1';

/**
 * The haproxy.cfg eclusa writes for a VM: one frontend with the maintenance switch (a map
 * looked up per request, flipped at run time), one backend with the two servers. The
 * balance algorithm is dynamic (roundrobin, or a consistent hash for sticky keys) so that
 * weights can change at run time; a hash on a missing key falls back to round robin.
 */
export function renderHaproxyConfig(input: HaproxyConfigInput): string {
  const { route, servers, maintenanceMap: map } = input;
  const bind = input.host.includes(':')
    ? `[${input.host}]:${input.port}`
    : `${input.host}:${input.port}`;
  const weight = route?.canary === undefined ? 0 : route.canaryWeight;
  const stable =
    route === undefined ? NOWHERE : address(input.addresses?.stable, route.stable.endpoint.port);
  const canary =
    route?.canary === undefined
      ? NOWHERE
      : address(input.addresses?.canary, route.canary.endpoint.port);
  return [
    '# Written by eclusa; changes made here are lost at the next route change.',
    'global',
    `  stats socket ${input.socket} mode 600 level admin expose-fd listeners`,
    '  stats timeout 30s',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout http-keep-alive 65s',
    // A request whose connection failed before reaching the app is tried again.
    '  retries 2',
    '  retry-on conn-failure empty-response',
    'frontend eclusa_in',
    `  bind ${bind}`,
    ...maintenanceFrontendLines(map),
    `  default_backend ${input.backend}`,
    `backend ${input.backend}`,
    ...balance(route),
    `  server ${servers.stable} ${stable} weight ${route === undefined ? 0 : 100 - weight}${route === undefined ? ' disabled' : ''}`,
    `  server ${servers.canary} ${canary} weight ${weight}${route?.canary === undefined ? ' disabled' : ''}`,
    '',
  ].join('\n');
}

/**
 * The two frontend lines that serve the maintenance page while the map says `on`: JSON for
 * a client that asks only for JSON, HTML otherwise. A team that runs its own HAProxy adds
 * them to its frontend (docs/routers.md) and gives eclusa the map's path.
 */
export function maintenanceFrontendLines(map: string): string[] {
  const on = `{ str(on),map(${map},off) -m str on }`;
  const wantsJson =
    '{ req.hdr(accept) -m sub application/json } !{ req.hdr(accept) -m sub text/html }';
  const page = (key: string, type: string, condition: string) =>
    `  http-request return status 503 content-type "${type}" lf-string "%[str(${key}),map(${map})]" ` +
    `hdr Retry-After ${MAINTENANCE_RETRY_AFTER_S} hdr Cache-Control no-store if ${condition}`;
  return [
    page('json', 'application/json', `${on} ${wantsJson}`),
    page('html', 'text/html; charset=utf-8', on),
  ];
}

function address(ip: string | undefined, port: number): string {
  if (ip === undefined) return NOWHERE;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function balance(route: Route | undefined): string[] {
  const sticky = route?.sticky;
  if (sticky?.header !== undefined) {
    return [`  balance hash req.hdr(${sticky.header})`, '  hash-type consistent'];
  }
  if (sticky?.cookie !== undefined) {
    return [`  balance hash req.cook(${sticky.cookie})`, '  hash-type consistent'];
  }
  return ['  balance roundrobin'];
}

/** The `balance` lines a route needs: when they change, HAProxy must reload. */
export function balanceOf(route: Route | undefined): string {
  return balance(route).join('\n');
}

/** The maintenance map's content: empty when off, else the switch and both pages. */
export function renderMaintenanceMap(
  maintenance: { readonly message: string } | undefined,
): string {
  if (maintenance === undefined) return '';
  return (
    [
      'on on',
      `html ${maintenanceHtml(oneLine(maintenance.message))}`,
      `json ${maintenanceJson(oneLine(maintenance.message))}`,
    ].join('\n') + '\n'
  );
}

export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

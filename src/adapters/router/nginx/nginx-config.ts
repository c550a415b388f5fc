import type { Backend, Route } from '../../../core/router/traffic-router.js';
import { maintenanceHtml, MAINTENANCE_RETRY_AFTER_S } from '../maintenance-page.js';

export interface NginxSiteInput {
  readonly upstream: string;
  readonly host: string;
  readonly port: number;
  /** Unix socket of the small control server eclusa asks which configuration is live. */
  readonly controlSocket: string;
  /** Changes at every render; once nginx answers it, the new configuration serves. */
  readonly generation: string;
  readonly route?: Route;
  readonly maintenance?: { readonly message: string };
}

/**
 * The file eclusa renders for nginx (included in the http block): a weighted upstream, the
 * server clients connect to, and a control server on a Unix socket. nginx weights are 1 or
 * more, so a side with no share is listed `down` rather than dropped: the hash ring of a
 * sticky upstream keeps its shape. A hash on an empty key falls back to round robin.
 */
export function renderNginxSite(input: NginxSiteInput): string {
  const { route, upstream } = input;
  const listen = input.host.includes(':')
    ? `[${input.host}]:${input.port}`
    : `${input.host}:${input.port}`;
  const lines = ['# Written by eclusa; changes made here are lost at the next route change.'];
  if (route !== undefined) {
    const weight = route.canary === undefined ? 0 : route.canaryWeight;
    lines.push(`upstream ${upstream} {`);
    if (route.sticky?.header !== undefined) {
      lines.push(
        `  hash $http_${route.sticky.header.toLowerCase().replace(/-/g, '_')} consistent;`,
      );
    } else if (route.sticky?.cookie !== undefined) {
      lines.push(`  hash $cookie_${route.sticky.cookie} consistent;`);
    }
    lines.push(server(route.stable, 100 - weight));
    if (route.canary !== undefined) lines.push(server(route.canary, weight));
    lines.push('  keepalive 32;', '}');
  }
  lines.push('server {', `  listen ${listen};`, '  location / {');
  if (input.maintenance !== undefined) {
    lines.push(
      `    add_header Retry-After ${MAINTENANCE_RETRY_AFTER_S} always;`,
      '    add_header Cache-Control no-store always;',
      '    default_type "text/html; charset=utf-8";',
      `    return 503 '${nginxString(maintenanceHtml(input.maintenance.message))}';`,
    );
  } else if (route === undefined) {
    lines.push(
      '    add_header Retry-After 5 always;',
      '    default_type application/json;',
      '    return 503 "{\\"error\\":\\"no route\\",\\"hint\\":\\"eclusa has not routed traffic yet\\"}";',
    );
  } else {
    lines.push(
      `    proxy_pass http://${upstream};`,
      '    proxy_http_version 1.1;',
      '    proxy_set_header Connection "";',
      '    proxy_set_header Host $host;',
      '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '    proxy_set_header X-Forwarded-Proto $scheme;',
    );
  }
  lines.push(
    '  }',
    '}',
    'server {',
    `  listen unix:${input.controlSocket};`,
    `  location = /generation { default_type text/plain; return 200 "${input.generation}"; }`,
    '}',
    '',
  );
  return lines.join('\n');
}

function server(backend: Backend, weight: number): string {
  const { host, port } = backend.endpoint;
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return weight > 0 ? `  server ${address} weight=${weight};` : `  server ${address} down;`;
}

/**
 * Text inside an nginx single-quoted string. nginx expands `$name` there and has no escape
 * for `$`, so it (and the quote and backslash) become HTML character references — this
 * text is only ever the body of an HTML page, whose own attributes use double quotes.
 */
function nginxString(text: string): string {
  return text.replace(/[\\'$]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

export interface NginxMainInput {
  readonly dir: string;
  readonly site: string;
}

/** The whole nginx.conf of a managed nginx: everything it writes stays under `dir`. */
export function renderNginxMain(input: NginxMainInput): string {
  const { dir } = input;
  return [
    '# Written by eclusa for the nginx it runs itself.',
    'worker_processes auto;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${dir}/tmp/${kind};`,
    ),
    `  include ${input.site};`,
    '}',
    '',
  ].join('\n');
}

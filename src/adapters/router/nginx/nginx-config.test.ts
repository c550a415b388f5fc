import { describe, expect, it } from 'vitest';
import { renderNginxMain, renderNginxSite } from './nginx-config.js';

const blue = { id: 'blue', version: '1', endpoint: { host: '127.0.0.1', port: 8001 } };
const green = { id: 'green', version: '2', endpoint: { host: '::1', port: 8002 } };
const base = {
  upstream: 'eclusa_production',
  host: '127.0.0.1',
  port: 8080,
  controlSocket: '/state/nginx-control.sock',
  generation: 'g1',
};

describe('renderNginxSite', () => {
  it('answers 503 "no route" before the first route', () => {
    const text = renderNginxSite(base);
    expect(text).not.toContain('upstream');
    expect(text).toContain('return 503');
    expect(text).toContain('listen unix:/state/nginx-control.sock;');
    expect(text).toContain('return 200 "g1"');
  });

  it('renders weights, and a side without share as down (nginx weights start at 1)', () => {
    const ten = renderNginxSite({
      ...base,
      route: { stable: blue, canary: green, canaryWeight: 10 },
    });
    expect(ten).toContain('server 127.0.0.1:8001 weight=90;');
    expect(ten).toContain('server [::1]:8002 weight=10;');
    const all = renderNginxSite({
      ...base,
      route: { stable: blue, canary: green, canaryWeight: 100 },
    });
    expect(all).toContain('server 127.0.0.1:8001 down;');
    expect(all).toContain('server [::1]:8002 weight=100;');
    const none = renderNginxSite({ ...base, route: { stable: blue, canaryWeight: 0 } });
    expect(none).toContain('server 127.0.0.1:8001 weight=100;');
    expect(none).toContain('proxy_pass http://eclusa_production;');
  });

  it('hashes a sticky header or cookie consistently', () => {
    const header = renderNginxSite({
      ...base,
      route: { stable: blue, canary: green, canaryWeight: 10, sticky: { header: 'X-Tenant-Id' } },
    });
    expect(header).toContain('hash $http_x_tenant_id consistent;');
    const cookie = renderNginxSite({
      ...base,
      route: { stable: blue, canary: green, canaryWeight: 10, sticky: { cookie: 'sid' } },
    });
    expect(cookie).toContain('hash $cookie_sid consistent;');
  });

  it('cannot be broken out of by the maintenance message', () => {
    const text = renderNginxSite({
      ...base,
      route: { stable: blue, canaryWeight: 0 },
      maintenance: { message: "it's $host; } server { \\ \n" },
    });
    const line = text.split('\n').find((candidate) => candidate.includes('return 503')) ?? '';
    expect(line).toMatch(/^ {4}return 503 '[^'$\\]*';$/);
    expect(line).toContain('it&#39;s &#36;host; } server {');
    expect(text).not.toContain('proxy_pass');
  });
});

describe('renderNginxMain', () => {
  it('keeps every file nginx writes under the state directory', () => {
    const text = renderNginxMain({ dir: '/state', site: '/state/site.conf' });
    expect(text).toContain('pid /state/nginx.pid;');
    expect(text).toContain('proxy_temp_path /state/tmp/proxy;');
    expect(text).toContain('include /state/site.conf;');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSystemBinary } from '../../../../test/support/system-binary.js';
import {
  maintenanceFrontendLines,
  renderHaproxyConfig,
  renderMaintenanceMap,
} from './haproxy-config.js';

const dir = mkdtempSync(join(tmpdir(), 'eclusa-haproxy-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  host: '127.0.0.1',
  port: 8080,
  socket: join(dir, 'admin.sock'),
  backend: 'eclusa_production',
  servers: { stable: 'stable', canary: 'canary' },
  maintenanceMap: join(dir, 'maintenance.map'),
};
const blue = { id: 'blue', version: '1', endpoint: { host: 'localhost', port: 8001 } };
const green = { id: 'green', version: '2', endpoint: { host: 'localhost', port: 8002 } };

describe('renderHaproxyConfig', () => {
  it('starts with both servers out of rotation before any route', () => {
    const text = renderHaproxyConfig(base);
    expect(text).toContain('  server stable 127.0.0.1:1 weight 0 disabled');
    expect(text).toContain('  server canary 127.0.0.1:1 weight 0 disabled');
    expect(text).toContain('  balance roundrobin');
  });

  it('renders the persisted route, weights as shares of 100', () => {
    const text = renderHaproxyConfig({
      ...base,
      route: { stable: blue, canary: green, canaryWeight: 10, sticky: { header: 'X-Tenant' } },
      addresses: { stable: '127.0.0.1', canary: '127.0.0.1' },
    });
    expect(text).toContain('  server stable 127.0.0.1:8001 weight 90\n');
    expect(text).toContain('  server canary 127.0.0.1:8002 weight 10\n');
    expect(text).toContain('  balance hash req.hdr(X-Tenant)\n  hash-type consistent');
  });

  it('keeps the maintenance switch in a map, one line per key', () => {
    expect(renderMaintenanceMap(undefined)).toBe('');
    const map = renderMaintenanceMap({ message: 'two\nlines' });
    expect(
      map
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['on', 'html', 'json']);
    expect(map).toContain('two lines');
  });

  it('matches the lines docs/routers.md tells a team to add', () => {
    const docs = readFileSync(new URL('../../../../docs/routers.md', import.meta.url), 'utf8');
    for (const line of maintenanceFrontendLines('/etc/haproxy/eclusa-maintenance.map')) {
      expect(docs).toContain(line);
    }
  });

  const haproxy = findSystemBinary('haproxy', 'haproxy');
  it.skipIf('skip' in haproxy)('is accepted by haproxy -c', () => {
    writeFileSync(base.maintenanceMap, renderMaintenanceMap({ message: 'soon' }));
    for (const [name, text] of [
      ['empty.cfg', renderHaproxyConfig(base)],
      [
        'sticky.cfg',
        renderHaproxyConfig({
          ...base,
          route: { stable: blue, canary: green, canaryWeight: 50, sticky: { cookie: 'sid' } },
          addresses: { stable: '127.0.0.1', canary: '127.0.0.1' },
        }),
      ],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      expect(() =>
        execFileSync('path' in haproxy ? haproxy.path : 'haproxy', ['-c', '-q', '-f', file], {
          stdio: 'pipe',
        }),
      ).not.toThrow();
    }
  });
});

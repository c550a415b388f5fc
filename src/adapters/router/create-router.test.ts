import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRouter, haproxyStatsOf } from './create-router.js';

const context = { home: '/srv/eclusa', environment: 'production' };

describe('createRouter', () => {
  it('picks the adapter the policy names, one state directory per environment', () => {
    expect(createRouter({ type: 'builtin', listen: 8080 }, context).kind).toBe('builtin');
    expect(createRouter({ type: 'haproxy', manage: true, listen: 8080 }, context).kind).toBe(
      'haproxy',
    );
    expect(createRouter({ type: 'haproxy', socket: '/run/haproxy/admin.sock' }, context).kind).toBe(
      'haproxy',
    );
    expect(createRouter({ type: 'nginx', manage: true, listen: 8080 }, context).kind).toBe('nginx');
    expect(
      createRouter(
        { type: 'nginx', listen: 8080, config: join('/etc/nginx/conf.d', 'e.conf') },
        context,
      ).kind,
    ).toBe('nginx');
  });

  it('refuses a configuration the policy rules would have refused', () => {
    expect(() => createRouter({ type: 'haproxy', manage: true }, context)).toThrow(/listen/);
    expect(() => createRouter({ type: 'haproxy' }, context)).toThrow(/admin socket/);
    expect(() => createRouter({ type: 'nginx', listen: 8080 }, context)).toThrow(/file it renders/);
  });

  it('refuses an environment name that would leave the state directory', () => {
    expect(() =>
      createRouter({ type: 'builtin', listen: 8080 }, { ...context, environment: '../etc' }),
    ).toThrow(expect.objectContaining({ code: 'ROUTER_ENVIRONMENT' }) as Error);
  });

  it('tells an analysis with source haproxy where the router’s HAProxy keeps its stats', () => {
    expect(haproxyStatsOf({ type: 'haproxy', manage: true, listen: 8080 }, context)).toEqual({
      socketPath: '/srv/eclusa/routers/production/admin.sock',
      backend: 'eclusa_production',
      servers: { stable: 'stable', canary: 'canary' },
    });
    expect(
      haproxyStatsOf(
        {
          type: 'haproxy',
          socket: '/run/haproxy/admin.sock',
          backend: 'web',
          servers: { stable: 'blue', canary: 'green' },
        },
        context,
      ),
    ).toEqual({
      socketPath: '/run/haproxy/admin.sock',
      backend: 'web',
      servers: { stable: 'blue', canary: 'green' },
    });
    expect(haproxyStatsOf({ type: 'builtin', listen: 8080 }, context)).toBeUndefined();
    expect(haproxyStatsOf(undefined, context)).toBeUndefined();
  });
});

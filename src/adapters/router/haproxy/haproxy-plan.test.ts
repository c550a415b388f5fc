import { describe, expect, it } from 'vitest';
import type { ServerState } from './haproxy-client.js';
import { planServerCommands, type DesiredServer } from './haproxy-plan.js';

const server = (name: string, port: number, weight: number, maint = false): ServerState => ({
  backend: 'app',
  name,
  addr: '127.0.0.1',
  port,
  opState: maint ? 0 : 2,
  adminState: maint ? 1 : 0,
  weight,
});
const want = (name: string, port: number, weight: number, active = true): DesiredServer => ({
  name,
  addr: '127.0.0.1',
  port,
  weight,
  active,
});

describe('planServerCommands', () => {
  it('does nothing when HAProxy already runs the route', () => {
    const current = [server('stable', 8001, 100), server('canary', 1, 0, true)];
    expect(
      planServerCommands('app', current, [want('stable', 8001, 100), want('canary', 1, 0, false)]),
    ).toEqual([]);
  });

  it('brings a canary in: address and weight while in maintenance, then ready, then stable down', () => {
    const current = [server('stable', 8001, 100), server('canary', 1, 0, true)];
    expect(
      planServerCommands('app', current, [want('stable', 8001, 90), want('canary', 8002, 10)]),
    ).toEqual([
      'set server app/canary addr 127.0.0.1 port 8002',
      'set server app/canary weight 10',
      'set server app/canary state ready',
      'set server app/stable weight 90',
    ]);
  });

  it('raises before it lowers, so the backend never has no weight', () => {
    const current = [server('stable', 8001, 100), server('canary', 8002, 0)];
    expect(
      planServerCommands('app', current, [want('stable', 8001, 0), want('canary', 8002, 100)]),
    ).toEqual(['set server app/canary weight 100', 'set server app/stable weight 0']);
  });

  it('promotes: the idle stable moves to the new version before it takes traffic back', () => {
    // blue/green done: stable (blue) has weight 0, canary (green) carries everything.
    const current = [server('stable', 8001, 0), server('canary', 8002, 100)];
    expect(
      planServerCommands('app', current, [
        want('stable', 8002, 100),
        want('canary', 8002, 0, false),
      ]),
    ).toEqual([
      'set server app/stable addr 127.0.0.1 port 8002',
      'set server app/stable weight 100',
      'set server app/canary weight 0',
      'set server app/canary state maint',
    ]);
  });

  it('moves a server carrying traffic in one command, after the raises', () => {
    const current = [server('stable', 8001, 100), server('canary', 1, 0, true)];
    expect(
      planServerCommands('app', current, [want('stable', 8003, 100), want('canary', 1, 0, false)]),
    ).toEqual(['set server app/stable addr 127.0.0.1 port 8003']);
  });

  it('says which server the running HAProxy lacks', () => {
    expect(() =>
      planServerCommands('app', [server('stable', 8001, 100)], [want('canary', 8002, 10)]),
    ).toThrow(/app\/canary/);
  });
});

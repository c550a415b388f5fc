import { describe, expect, it } from 'vitest';
import type { Route } from '../../../core/router/traffic-router.js';
import { RoutePicker, stickyBucket, stickyKeyOf } from './route-picker.js';

const backend = (id: string, port: number) => ({
  id,
  version: id,
  endpoint: { host: '127.0.0.1', port },
});
const route = (canaryWeight: number, sticky?: Route['sticky']): Route => ({
  stable: backend('blue', 1001),
  canary: backend('green', 1002),
  canaryWeight,
  ...(sticky === undefined ? {} : { sticky }),
});

function canaryShare(picker: RoutePicker, count: number): number {
  let canary = 0;
  for (let i = 0; i < count; i++) if (picker.pick() === 'canary') canary += 1;
  return canary;
}

describe('RoutePicker: smooth weighted round-robin', () => {
  it.each([0, 1, 10, 33, 50, 90, 99, 100])(
    'gives the canary exactly %i of every 100 requests',
    (weight) => {
      const picker = new RoutePicker(route(weight));
      for (let window = 0; window < 5; window++) expect(canaryShare(picker, 100)).toBe(weight);
    },
  );

  it('spreads the canary evenly instead of in a burst', () => {
    const picker = new RoutePicker(route(10));
    const sides = Array.from({ length: 100 }, () => picker.pick());
    const gaps = sides.flatMap((side, i) => (side === 'canary' ? [i] : []));
    for (let i = 1; i < gaps.length; i++) expect((gaps[i] ?? 0) - (gaps[i - 1] ?? 0)).toBe(10);
  });

  it('sends nothing to a canary that is not there, whatever the weight says', () => {
    const picker = new RoutePicker({ stable: backend('blue', 1001), canaryWeight: 0 });
    expect(canaryShare(picker, 50)).toBe(0);
    expect(picker.backend('canary').id).toBe('blue');
  });
});

describe('RoutePicker: sticky keys', () => {
  it('puts one key on one side on every call and in every picker', () => {
    for (let key = 0; key < 50; key++) {
      const first = new RoutePicker(route(50)).pick(`tenant-${key}`);
      const again = new RoutePicker(route(50));
      for (let i = 0; i < 5; i++) expect(again.pick(`tenant-${key}`)).toBe(first);
    }
  });

  it('only moves keys from stable to canary as the weight rises', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    let previous = new Set<string>();
    for (const weight of [0, 10, 25, 50, 75, 100]) {
      const picker = new RoutePicker(route(weight));
      const onCanary = new Set(keys.filter((key) => picker.pick(key) === 'canary'));
      for (const key of previous) expect(onCanary.has(key)).toBe(true);
      expect(Math.abs(onCanary.size - weight * 5)).toBeLessThanOrEqual(50);
      previous = onCanary;
    }
  });

  it('hashes with FNV-1a into 0–99, the same on every machine', () => {
    expect(stickyBucket('')).toBe(0x811c9dc5 % 100);
    expect(stickyBucket('a')).toBe(0xe40c292c % 100);
  });

  it('reads the key from the header or from one cookie among others', () => {
    expect(stickyKeyOf(route(50, { header: 'X-Tenant' }), { 'x-tenant': 'acme' })).toBe('acme');
    expect(stickyKeyOf(route(50, { cookie: 'tenant' }), { cookie: 'a=1; tenant=acme; b=2' })).toBe(
      'acme',
    );
    expect(stickyKeyOf(route(50, { cookie: 'tenant' }), { cookie: 'xtenant=1' })).toBeUndefined();
    expect(stickyKeyOf(route(50), { 'x-tenant': 'acme' })).toBeUndefined();
  });
});

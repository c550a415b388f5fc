import type { Backend, Route } from '../../../core/router/traffic-router.js';

export type Side = 'stable' | 'canary';

/**
 * Chooses a side for each request. Without a sticky key it is a smooth weighted
 * round-robin (nginx's algorithm): over any 100 consecutive requests the canary gets exactly
 * its weight, evenly spread, so a 10 % step really carries 10 % even at low traffic and a
 * test can assert exact shares. With a sticky key the side is a pure function of the key's
 * hash and the weight — the same tenant lands on the same side on every call and in every
 * router process, and raising the weight only ever moves keys from stable to canary.
 */
export class RoutePicker {
  private stableCredit = 0;
  private canaryCredit = 0;

  constructor(readonly route: Route) {}

  pick(stickyKey?: string): Side {
    const weight = this.route.canary === undefined ? 0 : this.route.canaryWeight;
    if (weight <= 0) return 'stable';
    if (weight >= 100) return 'canary';
    if (stickyKey !== undefined && stickyKey !== '') {
      return stickyBucket(stickyKey) < weight ? 'canary' : 'stable';
    }
    this.stableCredit += 100 - weight;
    this.canaryCredit += weight;
    if (this.canaryCredit > this.stableCredit) {
      this.canaryCredit -= 100;
      return 'canary';
    }
    this.stableCredit -= 100;
    return 'stable';
  }

  backend(side: Side): Backend {
    return side === 'canary' && this.route.canary !== undefined
      ? this.route.canary
      : this.route.stable;
  }
}

/** 0–99 from a 32-bit FNV-1a hash of the key: stable across processes and Node versions. */
export function stickyBucket(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The value that keeps a client on one side: the sticky header, or the sticky cookie. */
export function stickyKeyOf(route: Route, headers: Headers): string | undefined {
  const sticky = route.sticky;
  if (sticky === undefined) return undefined;
  if (sticky.header !== undefined) {
    const value = headers[sticky.header.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }
  if (sticky.cookie !== undefined) {
    const cookie = headers['cookie'];
    const text = Array.isArray(cookie) ? cookie.join('; ') : (cookie ?? '');
    for (const pair of text.split(';')) {
      const index = pair.indexOf('=');
      if (index > 0 && pair.slice(0, index).trim() === sticky.cookie) {
        return pair.slice(index + 1).trim();
      }
    }
  }
  return undefined;
}

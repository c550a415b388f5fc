import { describe, expect, it } from 'vitest';
import { EclusaError } from '../errors/eclusa-error.js';
import type { Route } from './traffic-router.js';
import { validateRoute } from './validate-route.js';

const blue = { id: 'blue', version: '1', endpoint: { host: '127.0.0.1', port: 8001 } };
const green = { id: 'green', version: '2', endpoint: { host: '127.0.0.1', port: 8002 } };

function codeOf(route: Route): string | undefined {
  try {
    validateRoute(route);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(EclusaError);
    expect((error as EclusaError).kind).toBe('invalid-input');
    expect((error as EclusaError).hint).toBeTruthy();
    return (error as EclusaError).code;
  }
}

describe('validateRoute', () => {
  it('accepts stable alone, a weighted canary and one sticky option', () => {
    expect(codeOf({ stable: blue, canaryWeight: 0 })).toBeUndefined();
    expect(codeOf({ stable: blue, canary: green, canaryWeight: 100 })).toBeUndefined();
    expect(
      codeOf({ stable: blue, canary: green, canaryWeight: 10, sticky: { cookie: 'sid' } }),
    ).toBeUndefined();
  });

  it.each([
    [{ stable: blue, canary: green, canaryWeight: 101 }, 'ROUTE_WEIGHT'],
    [{ stable: blue, canary: green, canaryWeight: 12.5 }, 'ROUTE_WEIGHT'],
    [{ stable: blue, canary: green, canaryWeight: Number.NaN }, 'ROUTE_WEIGHT'],
    [{ stable: blue, canaryWeight: 10 }, 'ROUTE_NO_CANARY'],
    [{ stable: blue, canary: blue, canaryWeight: 10 }, 'ROUTE_SAME_BACKEND'],
    [{ stable: blue, canary: green, canaryWeight: 10, sticky: {} }, 'ROUTE_STICKY'],
    [
      { stable: blue, canary: green, canaryWeight: 10, sticky: { header: 'a', cookie: 'b' } },
      'ROUTE_STICKY',
    ],
    [{ stable: blue, canary: green, canaryWeight: 10, sticky: { header: 'X Y' } }, 'ROUTE_STICKY'],
    [
      { stable: { ...blue, endpoint: { host: '127.0.0.1', port: 0 } }, canaryWeight: 0 },
      'ROUTE_ENDPOINT',
    ],
    [
      { stable: { ...blue, endpoint: { host: 'a;b', port: 80 } }, canaryWeight: 0 },
      'ROUTE_ENDPOINT',
    ],
    [{ stable: { ...blue, id: 'blue green' }, canaryWeight: 0 }, 'ROUTE_BACKEND_ID'],
  ] as [Route, string][])('refuses %j with %s', (route, code) => {
    expect(codeOf(route)).toBe(code);
  });
});

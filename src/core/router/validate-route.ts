import { invalidInput } from '../errors/eclusa-error.js';
import type { Backend, Route } from './traffic-router.js';

/**
 * Refuses a route no router can apply: a weight outside 0–100 or not whole, a share for a
 * canary that is not there, one backend on both sides, or a sticky option naming nothing.
 */
export function validateRoute(route: Route): Route {
  const weight = route.canaryWeight;
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw invalidInput('ROUTE_WEIGHT', `canary weight ${String(weight)} is not a whole 0–100`, {
      hint: 'give the share of requests for the canary as an integer percentage, e.g. 10',
    });
  }
  if (route.canary === undefined && weight !== 0) {
    throw invalidInput('ROUTE_NO_CANARY', `canary weight ${weight} without a canary backend`, {
      hint: 'name the canary backend, or set the canary weight to 0',
    });
  }
  checkBackend(route.stable, 'stable');
  if (route.canary !== undefined) {
    checkBackend(route.canary, 'canary');
    if (route.canary.id === route.stable.id) {
      throw invalidInput('ROUTE_SAME_BACKEND', `"${route.stable.id}" is both stable and canary`, {
        hint: 'give the canary its own backend id, or route to the stable one alone',
      });
    }
  }
  const sticky = route.sticky;
  if (sticky !== undefined) {
    const header = sticky.header ?? '';
    const cookie = sticky.cookie ?? '';
    if ((header === '') === (cookie === '')) {
      throw invalidInput('ROUTE_STICKY', 'sticky needs exactly one of header or cookie', {
        hint: 'e.g. sticky: { header: X-Tenant } or sticky: { cookie: session }',
      });
    }
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header + cookie)) {
      throw invalidInput('ROUTE_STICKY', `sticky name "${header + cookie}" is not a token`, {
        hint: 'a header or cookie name is letters, digits and - _ . only',
      });
    }
  }
  return route;
}

function checkBackend(backend: Backend, side: string): void {
  const { host, port } = backend.endpoint;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidInput('ROUTE_ENDPOINT', `${side} backend "${backend.id}" has no usable endpoint`, {
      hint: `expected a host and a port 1–65535, got ${JSON.stringify(backend.endpoint)}`,
    });
  }
  if (!/^[A-Za-z0-9._-]+$/.test(backend.id)) {
    throw invalidInput('ROUTE_BACKEND_ID', `${side} backend id "${backend.id}" is not a name`, {
      hint: 'backend ids are letters, digits, ".", "_" and "-" (they become server names)',
    });
  }
}

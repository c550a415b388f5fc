// Starts a builtin router and stays alive until killed: the test kills this process with
// SIGKILL and checks that the router it started keeps serving.
import { BuiltinRouter } from '../../src/adapters/router/builtin/builtin-router.js';
import type { Route } from '../../src/core/router/traffic-router.js';

const router = new BuiltinRouter({
  dir: process.env['ROUTER_DIR'] ?? '',
  port: Number(process.env['ROUTER_PORT']),
});
await router.apply(JSON.parse(process.env['ROUTE'] ?? '{}') as Route);
process.stdout.write('routed\n');
setInterval(() => undefined, 60_000);

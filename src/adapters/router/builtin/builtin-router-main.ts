// The builtin router's own process: started detached by BuiltinRouter.ensure(), bundled as
// dist/router.cjs, so the app stays reachable while eclusa restarts, upgrades or is killed.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { readPersistedRoute } from '../persisted-route.js';
import { BuiltinProxy } from './builtin-proxy.js';
import { createControlServer } from './builtin-control-server.js';
import { builtinRouterPaths, type BuiltinRouterConfig } from './builtin-router-files.js';

/** In-flight requests get this long after a stop before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function listen(server: Server, port: number | string, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if (typeof port === 'string') server.listen(port, done);
    else server.listen(port, host, done);
  });
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: router <state directory>\n');
    process.exitCode = 2;
    return;
  }
  const paths = builtinRouterPaths(dir);
  const config = JSON.parse(await readFile(paths.config, 'utf8')) as BuiltinRouterConfig;
  const persisted = await readPersistedRoute(paths.state);
  const proxy = new BuiltinProxy();
  proxy.setRoute(persisted.route);
  proxy.setMaintenance(persisted.maintenance);

  const server = createServer(proxy.handle);
  server.on('upgrade', proxy.upgrade);
  // Longer than the idle timeout of common HTTP clients, so the client closes an idle
  // connection before the router does and never reuses one the router just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    // Binding first means a second router for the same port stops here, before it could
    // take the control socket from the one that runs.
    log(`cannot listen on ${url}: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const control = createControlServer({
    proxy,
    url,
    statePath: paths.state,
    onShutdown: () => stop('control request'),
  });
  await rm(paths.socket, { force: true });
  await listen(control, paths.socket);
  await chmod(paths.socket, 0o600);
  await writeFile(paths.pid, String(process.pid));
  log(`listening on ${url} (pid ${process.pid}), route ${JSON.stringify(persisted.route ?? null)}`);

  function stop(why: string): void {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why}), finishing in-flight requests`);
    control.close();
    server.close(() => {
      void cleanUp().then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      void cleanUp().then(() => process.exit(0));
    }, SHUTDOWN_GRACE_MS).unref();
  }
  async function cleanUp(): Promise<void> {
    proxy.close();
    const pid = await readFile(paths.pid, 'utf8').catch(() => '');
    if (pid === String(process.pid)) {
      await rm(paths.pid, { force: true });
      await rm(paths.socket, { force: true });
    }
  }
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Detached from eclusa's terminal: a hang-up there must not stop the traffic.
  process.on('SIGHUP', () => log('SIGHUP ignored'));
}

main().catch((error: unknown) => {
  log(`router failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

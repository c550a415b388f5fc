import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EclusaError } from '../../../core/errors/eclusa-error.js';
import type { Route, RouterState } from '../../../core/router/traffic-router.js';
import { validateRoute } from '../../../core/router/validate-route.js';
import { writePersistedRoute, type PersistedRoute } from '../persisted-route.js';
import type { BuiltinProxy } from './builtin-proxy.js';

export interface ControlOptions {
  readonly proxy: BuiltinProxy;
  readonly url: string;
  readonly statePath: string;
  readonly onShutdown: () => void;
}

const MAX_BODY = 64 * 1024;

/**
 * The router's control API, HTTP over a Unix socket: GET /state, GET /health, PUT /route,
 * PUT /maintenance, POST /shutdown. A change is written to the state file before it takes
 * effect, so a router restarted at any moment comes back with the last route it confirmed.
 */
export function createControlServer(options: ControlOptions): Server {
  const { proxy } = options;
  let writes: Promise<unknown> = Promise.resolve();
  const state = (): RouterState => ({
    url: options.url,
    route: proxy.route,
    maintenance: proxy.maintenance,
  });
  // Changes run one after another: the file and the memory always agree on the last one.
  const change = (edit: (current: PersistedRoute) => PersistedRoute): Promise<RouterState> => {
    const done = writes.then(async () => {
      const next = edit({ route: proxy.route, maintenance: proxy.maintenance });
      await writePersistedRoute(options.statePath, next);
      proxy.setRoute(next.route);
      proxy.setMaintenance(next.maintenance);
      return state();
    });
    writes = done.catch(() => undefined);
    return done;
  };

  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const key = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
    switch (key) {
      case 'GET /state':
        return state();
      case 'GET /health':
        return proxy.health();
      case 'PUT /route': {
        const route = validateRoute((await readJson(req)) as Route);
        return change((current) => ({ ...current, route }));
      }
      case 'PUT /maintenance': {
        const body = (await readJson(req)) as { message?: unknown } | null;
        if (body !== null && typeof body.message !== 'string') {
          throw new EclusaError('invalid-input', 'MAINTENANCE_MESSAGE', 'message must be text');
        }
        const maintenance = body === null ? undefined : { message: body.message as string };
        return change((current) => ({ ...current, maintenance }));
      }
      case 'POST /shutdown':
        setImmediate(options.onShutdown);
        return { stopping: true };
      default:
        throw new EclusaError('invalid-input', 'ROUTER_CONTROL_UNKNOWN', `no control ${key}`);
    }
  };

  return createServer((req, res) => {
    handle(req).then(
      (body) => reply(res, 200, body),
      (error: unknown) => {
        const known = error instanceof EclusaError;
        reply(res, known && error.kind === 'invalid-input' ? 400 : 500, {
          error: {
            kind: known ? error.kind : 'failed',
            code: known ? error.code : 'ROUTER_CONTROL_FAILED',
            message: error instanceof Error ? error.message : String(error),
            hint: known ? error.hint : undefined,
          },
        });
      },
    );
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new EclusaError('invalid-input', 'ROUTER_CONTROL_BODY', 'too big');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new EclusaError('invalid-input', 'ROUTER_CONTROL_BODY', 'the body is not JSON');
  }
}

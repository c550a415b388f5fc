import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EclusaError } from '../../core/errors/eclusa-error.js';
import type { Route } from '../../core/router/traffic-router.js';
import { validateRoute } from '../../core/router/validate-route.js';

/** What a router keeps on disk so that it comes back, after a restart, as it was. */
export interface PersistedRoute {
  readonly route?: Route;
  readonly maintenance?: { readonly message: string };
}

/** Reads the file; a missing file is an empty state, a damaged one is an error naming it. */
export async function readPersistedRoute(path: string): Promise<PersistedRoute> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const data = JSON.parse(text) as PersistedRoute;
    if (data.route !== undefined) validateRoute(data.route);
    if (data.maintenance !== undefined && typeof data.maintenance.message !== 'string') {
      throw new Error('maintenance.message is not text');
    }
    return { route: data.route, maintenance: data.maintenance };
  } catch (error) {
    throw new EclusaError('failed', 'ROUTER_STATE_DAMAGED', `router state ${path} is damaged`, {
      hint: `remove ${path} and apply the route again (eclusa re-applies it from the store)`,
      cause: error,
    });
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writePersistedRoute(path: string, state: PersistedRoute): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

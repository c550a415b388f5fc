import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Unavailable = { readonly skip: string };

/**
 * Where a server binary is, or why its tests are skipped. Under CI a missing binary is a
 * failure, never a skip, so this throws there.
 */
export function findBinary(name: string, install: string): { readonly bin: string } | Unavailable {
  const dirs = [
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean),
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
  ];
  const dir = dirs.find((candidate) => existsSync(join(candidate, name)));
  if (dir !== undefined) return { bin: join(dir, name) };
  const why = `${name} not found on PATH: ${install}`;
  if (process.env['CI'] === 'true') throw new Error(`${why} (CI=true: not skipping)`);
  return { skip: why };
}

import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A binary the test needs, or why the test is skipped. */
export type Found = { readonly path: string } | { readonly skip: string };

/**
 * Finds `name` on PATH or in the sbin directories Debian installs daemons to. Under
 * CI=true a missing binary is a failure, never a skip: CI must install the package.
 */
export function findSystemBinary(name: string, debianPackage: string): Found {
  const dirs = [
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean),
    '/usr/sbin',
    '/usr/local/sbin',
    '/sbin',
  ];
  const dir = dirs.find((candidate) => existsSync(join(candidate, name)));
  if (dir !== undefined) return { path: join(dir, name) };
  const why = `${name} not found: apt-get install ${debianPackage}`;
  if (process.env['CI'] === 'true') throw new Error(`${why} (CI=true: not skipping)`);
  return { skip: why };
}

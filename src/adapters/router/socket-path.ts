import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Unix socket paths are limited to ~108 bytes; leave room for the kernel's terminator. */
const MAX_SOCKET_PATH = 100;

/** `dir/name`, or a short path in the temporary directory when that would be too long. */
export function socketPathIn(dir: string, name: string): string {
  const inDir = join(dir, name);
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  const digest = createHash('sha256').update(inDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `eclusa-${digest}-${name}`);
}

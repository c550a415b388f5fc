import { existsSync, readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { EclusaError } from '../../core/errors/eclusa-error.js';

/** An empty lock file older than this was left by a process that died between create and write. */
const EMPTY_STALE_MS = 30_000;

/**
 * Runs `fn` while holding `path`, created exclusively with the holder's pid inside. Unlike
 * an age-based lock, a slow start (a router can take seconds on a loaded machine) is never
 * taken over while its holder lives; a holder that died is detected by its pid at once.
 */
export async function withStartLock<T>(
  path: string,
  fn: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new EclusaError('failed', 'ROUTER_START_LOCKED', `another process holds ${path}`, {
        hint: 'another eclusa is starting this router; try again, or remove the file if no eclusa runs',
        retryable: true,
      });
    }
    await delay(wait);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

async function isStale(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false; // gone already: the next attempt will create it
  }
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > EMPTY_STALE_MS;
  }
  return !isAlive(pid);
}

/**
 * Whether a process with this pid runs (signal 0 checks without sending anything). A zombie
 * — exited, not yet reaped, common for daemons in containers whose init reaps nothing — is
 * not running.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // no /proc (not Linux): the signal said it exists
  }
}

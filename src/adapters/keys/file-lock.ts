import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** A lock older than this belongs to a process that died holding it. */
const STALE_MS = 10_000;
const GIVE_UP_MS = 30_000;

/**
 * Runs `fn` while holding `lockPath`, a file created exclusively. Short critical sections
 * only: a lock left behind by a crash is taken over once it is stale.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
    const age = await lockAge(lockPath);
    if (age !== undefined && age > STALE_MS) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() - started > GIVE_UP_MS) {
      throw new Error(`timed out waiting for the lock ${lockPath}`);
    }
    await delay(wait);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function lockAge(lockPath: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined;
  }
}

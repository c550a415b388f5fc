import { readdir, readFile } from 'node:fs/promises';

/** Pids of the processes whose parent is `master` (nginx's workers), read from /proc. */
export async function workersOf(master: number): Promise<Set<number>> {
  const workers = new Set<number>();
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The fourth field, after "pid (comm) state", is the parent's pid.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === master) workers.add(Number(entry));
  }
  return workers;
}

/**
 * Whether every worker of the previous generation stopped taking requests: gone, or
 * titled "worker process is shutting down" (nginx closes its listeners as it sets that).
 * A new worker answering the new generation is not enough: an old one can still accept
 * for a moment after the master told it to quit.
 */
export async function oldWorkersRetired(old: ReadonlySet<number>): Promise<boolean> {
  for (const pid of old) {
    const title = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    if (title !== undefined && title !== '' && !title.includes('shutting down')) return false;
  }
  return true;
}

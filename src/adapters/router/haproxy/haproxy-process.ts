import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { EclusaError } from '../../../core/errors/eclusa-error.js';
import { isAlive } from '../start-lock.js';

const run = promisify(execFile);

export interface HaproxyFiles {
  readonly binary: string;
  readonly config: string;
  readonly pid: string;
  readonly socket: string;
}

/** haproxy's own words from a failed run, without its banner lines. */
function haproxySaid(error: unknown): string {
  const output = (error as { stderr?: string; message?: string }).stderr ?? String(error);
  const lines = output.split('\n').filter((line) => /ALERT|WARNING|error/i.test(line));
  return (lines.length > 0 ? lines : output.split('\n')).join(' ').trim().slice(0, 1_000);
}

async function haproxy(files: HaproxyFiles, args: string[], what: string): Promise<void> {
  try {
    await run(files.binary, args, { timeout: 30_000 });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EclusaError(
      missing ? 'invalid-input' : 'failed',
      missing ? 'HAPROXY_NOT_FOUND' : 'HAPROXY_START_FAILED',
      missing
        ? `${files.binary} is not installed`
        : `haproxy could not ${what}: ${haproxySaid(error)}`,
      {
        hint: missing
          ? 'apt-get install haproxy, or set router.binary to its path'
          : `see ${files.config}`,
        retryable: !missing,
        cause: error,
      },
    );
  }
}

/** Checks the configuration, then starts haproxy as a daemon that outlives eclusa. */
export async function startHaproxy(files: HaproxyFiles): Promise<void> {
  await haproxy(files, ['-c', '-q', '-f', files.config], 'accept its configuration');
  await haproxy(files, ['-D', '-f', files.config, '-p', files.pid], 'start');
}

/**
 * Loads a new configuration without dropping connections: the new process takes the
 * listening sockets from the old one over the admin socket (-x), and the old one finishes
 * what it serves before it exits (-sf).
 */
export async function reloadHaproxy(files: HaproxyFiles): Promise<void> {
  const old = await readPid(files.pid);
  await haproxy(files, ['-c', '-q', '-f', files.config], 'accept its configuration');
  const args = ['-D', '-f', files.config, '-p', files.pid, '-x', files.socket];
  await haproxy(files, old === undefined ? args : [...args, '-sf', String(old)], 'reload');
}

/** Soft stop (SIGUSR1): stops listening, finishes the requests in flight, exits. */
export async function stopHaproxy(files: HaproxyFiles, timeoutMs = 15_000): Promise<void> {
  const pid = await readPid(files.pid);
  if (pid === undefined || !isAlive(pid)) return;
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGTERM');
      return;
    }
    await delay(25);
  }
}

export async function readPid(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text.trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

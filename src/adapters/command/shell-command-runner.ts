import { spawn } from 'node:child_process';
import type { CommandRunner } from '../../core/engine/step-executor.js';

const KEEP_BYTES = 64 * 1024;
const GRACE_MS = 5_000;

/**
 * Runs a command through `sh -c` in its own process group, so that on abort (a step's
 * timeout) the whole group — the script and everything it started — is sent SIGTERM, then
 * SIGKILL after a grace period. Output is streamed line by line and its tail is kept.
 */
export const shellCommandRunner: CommandRunner = {
  run(command, options) {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', command], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const pending: Record<'out' | 'err', string> = { out: '', err: '' };
      const take = (which: 'out' | 'err', chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        output = (output + text).slice(-KEEP_BYTES);
        const lines = (pending[which] + text).split('\n');
        pending[which] = lines.pop() ?? '';
        for (const line of lines) options.onLine(line);
      };
      child.stdout.on('data', (c: Buffer) => take('out', c));
      child.stderr.on('data', (c: Buffer) => take('err', c));
      const killGroup = (signal: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // The group is already gone.
        }
      };
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), GRACE_MS);
      };
      if (options.signal.aborted) onAbort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        options.signal.removeEventListener('abort', onAbort);
        clearTimeout(killTimer);
        // Whatever the script left behind in its group goes with it.
        killGroup('SIGKILL');
        for (const rest of Object.values(pending)) if (rest) options.onLine(rest);
        resolve({ exitCode: code, ...(signal ? { signal } : {}), output });
      });
    });
  },
};

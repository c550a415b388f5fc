import { spawn } from 'node:child_process';
import type {
  CommandRequest,
  CommandResult,
  CommandRunner,
} from '../../../core/database/command-runner.js';

/** Runs commands through /bin/sh, keeping the end of their combined output. */
export function shellCommandRunner(): CommandRunner {
  return {
    run: (request: CommandRequest) =>
      new Promise<CommandResult>((resolve) => {
        const child = spawn('/bin/sh', ['-c', request.command], {
          cwd: request.cwd,
          env: { ...process.env, ...request.env },
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(request.signal ? { signal: request.signal } : {}),
        });
        let kept = Buffer.alloc(0);
        let truncated = false;
        const keep = (chunk: Buffer) => {
          kept = Buffer.concat([kept, chunk]);
          if (kept.length > request.maxOutput) {
            kept = kept.subarray(kept.length - request.maxOutput);
            truncated = true;
          }
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        let timedOut = false;
        const timer =
          request.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                child.kill('SIGTERM');
              }, request.timeoutMs);
        const done = (exitCode: number | null, signal: string | null, extra = '') => {
          if (timer) clearTimeout(timer);
          resolve({
            exitCode,
            signal,
            timedOut,
            output: kept.toString('utf8') + extra,
            truncated,
          });
        };
        child.once('error', (error) => done(null, null, `\n${error.message}`));
        child.once('close', (code, signal) => done(code, signal));
      }),
  };
}

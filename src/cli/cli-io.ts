import { systemClock, type Clock } from '../core/time/clock.js';

/** Where a command writes and what time it is: the real streams and clock in the CLI, fakes in tests. */
export interface CliIo {
  readonly clock?: Clock;
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly isTty: boolean;
}

export function processIo(): CliIo {
  // `eclusa plan | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    clock: systemClock,
    env: process.env,
    cwd: process.cwd(),
    isTty: process.stdout.isTTY,
  };
}

/** `--json`: one JSON document on stdout and nothing else there. */
export function writeJson(io: CliIo, document: unknown): void {
  io.out(JSON.stringify(document, null, 2));
}

import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import type { Clock } from '../../src/core/time/clock.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with captured output (fast; used by most CLI tests). */
export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; clock?: Clock } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => (stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => (stderr += text.endsWith('\n') ? text : `${text}\n`),
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    isTty: false,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const BIN = new URL('../../bin/eclusa.js', import.meta.url).pathname;

/** Runs the built `eclusa` bin as a real process (needs `npm run build`). */
export function runBin(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env['PATH'], ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

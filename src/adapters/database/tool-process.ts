import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EclusaError } from '../../core/errors/eclusa-error.js';

/** One run of a database client tool (pg_dump, pg_restore, mysqldump, mysql). */
export interface ToolRun {
  /** A command name looked up on PATH, or an absolute path. */
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the inherited environment; the place for passwords (never argv). */
  readonly env?: Readonly<Record<string, string>>;
  /** Fed to the tool's standard input. */
  readonly stdinFile?: string;
  readonly stdinText?: string;
  readonly stdinStream?: Readable;
  /** Keep standard output (otherwise it is discarded). */
  readonly captureStdout?: boolean;
  /** Hands standard output over as a stream instead (ToolResult.stdout stays empty). */
  readonly onStdout?: (stdout: Readable) => void;
  readonly signal?: AbortSignal;
  /** How to install the tool, for the message when it is missing. */
  readonly install: string;
}

export interface ToolResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** The last 16 KiB of standard error: enough for the error, bounded for a chatty tool. */
  readonly stderr: string;
}

const STDERR_LIMIT = 16 * 1024;

/** The tool's path: in `binDir` when one is configured, else the bare name for PATH lookup. */
export function toolPath(name: string, binDir: string | undefined): string {
  return binDir === undefined || binDir === '' ? name : join(binDir, name);
}

/** Runs a tool to completion; rejects only when it cannot start (DATABASE_TOOL_MISSING). */
export function runTool(run: ToolRun): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const hasStdin =
      run.stdinFile !== undefined || run.stdinText !== undefined || run.stdinStream !== undefined;
    const child = spawn(run.command, [...run.args], {
      env: { ...process.env, ...run.env },
      stdio: [
        hasStdin ? 'pipe' : 'ignore',
        run.captureStdout === true || run.onStdout !== undefined ? 'pipe' : 'ignore',
        'pipe',
      ],
      ...(run.signal ? { signal: run.signal, killSignal: 'SIGTERM' as const } : {}),
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    if (run.onStdout !== undefined && child.stdout) run.onStdout(child.stdout);
    else child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
    });
    if (child.stdin) {
      // The tool may exit before reading everything (an error on the first statement).
      child.stdin.on('error', () => undefined);
      if (run.stdinFile !== undefined) {
        const input = createReadStream(run.stdinFile);
        input.on('error', (error) => {
          child.kill('SIGTERM');
          stderr += `\ncannot read ${run.stdinFile}: ${error.message}`;
        });
        input.pipe(child.stdin);
      } else if (run.stdinStream !== undefined) run.stdinStream.pipe(child.stdin);
      else child.stdin.end(run.stdinText ?? '');
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new EclusaError('failed', 'DATABASE_TOOL_MISSING', `${run.command} was not found`, {
            hint: run.install,
          }),
        );
      } else if (error.name === 'AbortError') {
        // The close event still follows and reports the signal.
      } else reject(error);
    });
    child.once('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}

/** The tool's stderr reduced to its meaningful lines, for an error message. */
export function toolMessage(result: ToolResult): string {
  const text = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(?:pg_dump|pg_restore): (?:detail|hint): /i.test(line))
    .slice(-6)
    .join('; ');
  if (result.signal !== null) return `killed by ${result.signal}${text ? `: ${text}` : ''}`;
  return text || `exit code ${result.code ?? '?'}`;
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  CommandOutcome,
  CommandRequest,
  CommandRunner,
} from '../../../core/command/command-runner.js';
import { invalidInput } from '../../../core/errors/eclusa-error.js';
import { terminateGroups } from '../../os/process-group.js';
import { LineSplitter } from './line-splitter.js';

const TAIL_LINES = 40;
const STDOUT_LIMIT_CHARS = 1_048_576;
/**
 * After the shell exits, output it wrote may still sit in the pipes; wait this long for them
 * to close. A process it left in the background can hold them open forever, so no longer.
 */
const DRAIN_MS = 250;

export interface ShellCommandRunnerOptions {
  readonly shell?: string;
  /** Between SIGTERM and SIGKILL when a timeout or an abort stops the group. */
  readonly killGraceMs?: number;
}

/** Runs commands with `/bin/sh -c` in a process group of their own (detached). */
export class ShellCommandRunner implements CommandRunner {
  private readonly shell: string;
  private readonly killGraceMs: number;

  constructor(options: ShellCommandRunnerOptions = {}) {
    this.shell = options.shell ?? '/bin/sh';
    this.killGraceMs = options.killGraceMs ?? 3_000;
  }

  async run(request: CommandRequest): Promise<CommandOutcome> {
    if (!existsSync(request.cwd)) {
      throw invalidInput(
        'COMMAND_CWD_MISSING',
        `the working directory ${request.cwd} does not exist`,
        {
          hint: 'create it, or fix the cwd in the policy (relative paths start at the policy file)',
        },
      );
    }
    const started = Date.now();
    const tail: string[] = [];
    let stdout = '';
    const keep = (line: string, stream: 'stdout' | 'stderr'): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (stream === 'stdout') {
        stdout += `${line}\n`;
        if (stdout.length > STDOUT_LIMIT_CHARS) stdout = stdout.slice(-STDOUT_LIMIT_CHARS);
      }
      request.onLine?.(line, stream);
    };
    if (request.signal?.aborted) {
      return {
        exitCode: null,
        signal: null,
        timedOut: false,
        aborted: true,
        stdout,
        tail,
        durationMs: 0,
      };
    }

    const child = spawn(this.shell, ['-c', request.command], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid ?? 0;
    const splitters = {
      stdout: new LineSplitter((line) => keep(line, 'stdout')),
      stderr: new LineSplitter((line) => keep(line, 'stderr')),
    };
    child.stdout.on('data', (chunk: Buffer) => splitters.stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => splitters.stderr.push(chunk));
    const closed = Promise.all([
      new Promise((resolve) => child.stdout.once('close', resolve)),
      new Promise((resolve) => child.stderr.once('close', resolve)),
    ]);

    let timedOut = false;
    let aborted = false;
    let killing: Promise<boolean> | undefined;
    const kill = (): void => {
      killing ??= terminateGroups([pgid], this.killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      const exit = await new Promise<{ code: number | null; signal: string | null }>(
        (resolve, reject) => {
          child.once('error', reject);
          child.once('exit', (code, signal) => resolve({ code, signal }));
        },
      );
      await Promise.race([closed, delay(DRAIN_MS)]);
      if (killing === undefined && request.keepBackground !== true) kill();
      await killing;
      child.stdout.destroy();
      child.stderr.destroy();
      splitters.stdout.end();
      splitters.stderr.end();
      return {
        exitCode: exit.code,
        signal: exit.signal,
        timedOut,
        aborted,
        stdout,
        tail,
        durationMs: Date.now() - started,
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
    }
  }
}

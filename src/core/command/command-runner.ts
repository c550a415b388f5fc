/**
 * The CommandRunner port: runs one shell command line (a deploy script, a smoke suite) as
 * its own process group, so a timeout or an abort stops everything it started.
 */
export interface CommandRequest {
  /** A shell command line, run by `/bin/sh -c`. */
  readonly command: string;
  readonly cwd: string;
  /** The complete environment of the command (nothing else is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Each line of stdout and stderr, as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Whether processes the command left in its group keep running after it exits (a deploy
   * script that starts a daemon); by default they are stopped with it.
   */
  readonly keepBackground?: boolean;
}

export interface CommandOutcome {
  /** Exit code; null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The timeout fired and the process group was killed. */
  readonly timedOut: boolean;
  /** The request's signal aborted it and the process group was killed. */
  readonly aborted: boolean;
  /** The end of stdout (bounded), for commands whose answer is their output. */
  readonly stdout: string;
  /** The last lines of stdout and stderr interleaved (bounded). */
  readonly tail: readonly string[];
  readonly durationMs: number;
}

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandOutcome>;
}

export interface CommandRequest {
  /** A shell command line, e.g. `alembic upgrade head`. */
  readonly command: string;
  readonly cwd: string;
  /** Added to the inherited environment (DATABASE_URL goes here, never on the command line). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Output kept, in bytes: the last part, where errors are. */
  readonly maxOutput: number;
  readonly signal?: AbortSignal;
}

export interface CommandResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** Standard output and error interleaved, at most `maxOutput` bytes (the end). */
  readonly output: string;
  readonly truncated: boolean;
}

/** Runs a team's own command (a migration tool) and captures what it printed. */
export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
}

/** What one verification (an HTTP check, a bundle check, a command) found. */
export interface VerificationResult {
  readonly name: string;
  readonly type: 'http' | 'bundle' | 'command';
  readonly ok: boolean;
  readonly attempts: number;
  readonly durationMs: number;
  /** One sentence on the last attempt: "200 in 12 ms, $.status = ok", "exit 1: …". */
  readonly detail: string;
  /** The last attempt's HTTP status or exit code. */
  readonly status?: number;
  /** Captured output (command) or body excerpt (http), secrets redacted, bounded. */
  readonly output?: string;
}

/** Where a verification points: the new version alone, or the environment's live URL. */
export interface VerificationTarget {
  /** Base URL that `{url}` in a verification's URL becomes, e.g. http://127.0.0.1:40123. */
  readonly url?: string;
  readonly release: string;
  readonly version: string;
  readonly environment: string;
  /** Digest of each component's artifact in this release (bundle checks). */
  readonly digests: Readonly<Record<string, string>>;
}

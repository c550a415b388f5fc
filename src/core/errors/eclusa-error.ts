/**
 * The few error kinds eclusa raises. Each carries a stable code, the CLI exit code of
 * `CLI-CONTRACT.md`, the HTTP status a server maps it to, and whether retrying can help.
 */
export type ErrorKind = 'invalid-input' | 'refused' | 'rolled-back' | 'failed' | 'internal';

const EXIT: Record<ErrorKind, number> = {
  'invalid-input': 2,
  refused: 3,
  'rolled-back': 4,
  failed: 5,
  internal: 1,
};

const HTTP: Record<ErrorKind, number> = {
  'invalid-input': 400,
  refused: 409,
  'rolled-back': 409,
  failed: 500,
  internal: 500,
};

export interface EclusaErrorOptions {
  readonly hint?: string;
  readonly retryable?: boolean;
  readonly details?: unknown;
  readonly cause?: unknown;
}

export class EclusaError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(kind: ErrorKind, code: string, message: string, options: EclusaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EclusaError';
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT[this.kind];
  }

  get httpStatus(): number {
    return HTTP[this.kind];
  }
}

export function invalidInput(
  code: string,
  message: string,
  options?: EclusaErrorOptions,
): EclusaError {
  return new EclusaError('invalid-input', code, message, options);
}

export function refused(code: string, message: string, options?: EclusaErrorOptions): EclusaError {
  return new EclusaError('refused', code, message, options);
}

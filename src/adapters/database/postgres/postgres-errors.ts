import { EclusaError } from '../../../core/errors/eclusa-error.js';
import { toolMessage, type ToolResult } from '../tool-process.js';

/** The failures people meet first, recognised in a pg error or a tool's stderr. */
const KNOWN: readonly {
  readonly test: RegExp;
  readonly pgCodes: readonly string[];
  readonly code: string;
  readonly what: string;
  readonly hint: string;
  readonly retryable: boolean;
}[] = [
  {
    test: /No space left on device|ENOSPC|Errcode: 28/i,
    pgCodes: ['53100'],
    code: 'BACKUP_DISK_FULL',
    what: 'the disk filled up',
    hint: 'free space in the backup folder, or lower backup.retention',
    retryable: false,
  },
  {
    test: /password authentication failed|no password supplied|authentication failed/i,
    pgCodes: ['28P01', '28000'],
    code: 'DATABASE_AUTH_FAILED',
    what: 'the database refused the credentials',
    hint: 'check the user and password in the connection secret',
    retryable: false,
  },
  {
    test: /connection refused|could not connect|could not translate host name|timeout expired|no route to host|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/i,
    pgCodes: [],
    code: 'DATABASE_UNREACHABLE',
    what: 'the database server cannot be reached',
    hint: 'check the host and port in the connection secret and that the server is up',
    retryable: true,
  },
  {
    test: /permission denied|must be owner/i,
    pgCodes: ['42501'],
    code: 'DATABASE_PERMISSION_DENIED',
    what: 'the role lacks a privilege this needs',
    hint: 'grant it to the connection’s role; drills and drift checks create scratch databases, which needs CREATEDB',
    retryable: false,
  },
  {
    test: /database "[^"]*" does not exist/i,
    pgCodes: ['3D000'],
    code: 'DATABASE_NOT_FOUND',
    what: 'the database does not exist on the server',
    hint: 'check the database name in the connection secret',
    retryable: false,
  },
];

function classify(message: string, pgCode: string | undefined): (typeof KNOWN)[number] | undefined {
  return KNOWN.find(
    (known) => (pgCode !== undefined && known.pgCodes.includes(pgCode)) || known.test.test(message),
  );
}

/** A `pg` client error as an EclusaError naming the server (never the password). */
export function clientError(error: unknown, where: string, doing: string): EclusaError {
  if (error instanceof EclusaError) return error;
  const err = error as { message?: string; code?: string };
  const message = err.message ?? String(error);
  const known = classify(`${message} ${err.code ?? ''}`, err.code);
  if (known)
    return new EclusaError('failed', known.code, `${doing} ${where}: ${known.what} (${message})`, {
      hint: known.hint,
      retryable: known.retryable,
      cause: error,
    });
  return new EclusaError('failed', 'DATABASE_ERROR', `${doing} ${where}: ${message}`, {
    cause: error,
    ...(err.code === undefined ? {} : { details: { sqlState: err.code } }),
  });
}

/** A client tool that exited non-zero (or was killed), as an EclusaError. */
export function toolError(
  result: ToolResult,
  code: string,
  doing: string,
  where: string,
): EclusaError {
  const text = toolMessage(result);
  const known = result.signal === null ? classify(result.stderr, undefined) : undefined;
  if (known)
    return new EclusaError('failed', known.code, `${doing} ${where}: ${known.what} (${text})`, {
      hint: known.hint,
      retryable: known.retryable,
    });
  return new EclusaError('failed', code, `${doing} ${where} failed: ${text}`, {
    retryable: result.signal !== null,
  });
}

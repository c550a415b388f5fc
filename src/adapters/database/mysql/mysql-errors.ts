import { EclusaError } from '../../../core/errors/eclusa-error.js';
import { toolMessage, type ToolResult } from '../tool-process.js';

const KNOWN: readonly {
  readonly test: RegExp;
  readonly code: string;
  readonly what: string;
  readonly hint: string;
  readonly retryable: boolean;
}[] = [
  {
    test: /No space left on device|ENOSPC|Errcode: 28/i,
    code: 'BACKUP_DISK_FULL',
    what: 'the disk filled up',
    hint: 'free space in the backup folder, or lower backup.retention',
    retryable: false,
  },
  {
    test: /\b1045\b|Access denied for user/i,
    code: 'DATABASE_AUTH_FAILED',
    what: 'the database refused the credentials',
    hint: 'check the user and password in the connection secret',
    retryable: false,
  },
  {
    test: /\b200[236]\b|Can't connect to|Lost connection|Unknown (?:MySQL|MariaDB) server host/i,
    code: 'DATABASE_UNREACHABLE',
    what: 'the database server cannot be reached',
    hint: 'check the host and port in the connection secret and that the server is up',
    retryable: true,
  },
  {
    test: /\b1049\b|Unknown database/i,
    code: 'DATABASE_NOT_FOUND',
    what: 'the database does not exist on the server',
    hint: 'check the database name in the connection secret',
    retryable: false,
  },
];

/** A mysql or mysqldump run that exited non-zero (or was killed), as an EclusaError. */
export function mysqlToolError(
  result: ToolResult,
  code: string,
  doing: string,
  where: string,
): EclusaError {
  const text = toolMessage(result);
  const known =
    result.signal === null ? KNOWN.find((entry) => entry.test.test(result.stderr)) : undefined;
  if (known)
    return new EclusaError('failed', known.code, `${doing} ${where}: ${known.what} (${text})`, {
      hint: known.hint,
      retryable: known.retryable,
    });
  return new EclusaError('failed', code, `${doing} ${where} failed: ${text}`, {
    retryable: result.signal !== null,
  });
}

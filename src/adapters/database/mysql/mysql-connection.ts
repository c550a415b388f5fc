import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidInput } from '../../../core/errors/eclusa-error.js';

/**
 * A MySQL/MariaDB connection URL (`mysql://USER:PASSWORD@HOST:PORT/DATABASE`, or
 * `?socket=/path`) turned into client-tool arguments. The password goes into a private
 * option file read through --defaults-file, never onto a command line.
 */
export interface MysqlConnection {
  readonly database: string;
  /** host:port/database, for messages. */
  readonly where: string;
  /** Runs fn with the arguments every client tool takes first; the option file is removed after. */
  withArgs<T>(fn: (args: readonly string[]) => Promise<T>): Promise<T>;
}

/** Option-file values are double-quoted; backslash and quote are escaped inside. */
function optionValue(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function parseMysqlConnection(connection: string): MysqlConnection {
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw invalidInput('DATABASE_URL_INVALID', 'the MySQL connection is not a URL', {
      hint: 'set the secret to mysql://USER:PASSWORD@HOST:PORT/DATABASE',
    });
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw invalidInput(
      'DATABASE_URL_INVALID',
      `the MySQL connection URL starts with ${url.protocol}// instead of mysql://`,
      { hint: 'set the secret to mysql://USER:PASSWORD@HOST:PORT/DATABASE' },
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '')
    throw invalidInput('DATABASE_URL_INVALID', 'the MySQL connection URL names no database', {
      hint: 'end the URL with /DATABASE',
    });
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const socket = url.searchParams.get('socket');
  const args = [
    // Text travels as the server stores it, emoji included.
    '--default-character-set=utf8mb4',
    ...(url.username === '' ? [] : [`--user=${decodeURIComponent(url.username)}`]),
    ...(socket !== null
      ? [`--socket=${socket}`]
      : [
          // "localhost" would make the clients use the default socket instead of TCP.
          `--host=${url.hostname === 'localhost' ? '127.0.0.1' : url.hostname || '127.0.0.1'}`,
          `--port=${url.port || '3306'}`,
          '--protocol=TCP',
        ]),
  ];
  return {
    database,
    where: `${socket ?? `${url.hostname || '127.0.0.1'}:${url.port || '3306'}`}/${database}`,
    async withArgs<T>(fn: (args: readonly string[]) => Promise<T>): Promise<T> {
      if (password === undefined) return fn(['--no-defaults', ...args]);
      const dir = await mkdtemp(join(tmpdir(), 'eclusa-mysql-'));
      const file = join(dir, 'client.cnf');
      try {
        await writeFile(file, `[client]\npassword=${optionValue(password)}\n`, { mode: 0o600 });
        await chmod(file, 0o600);
        // The option file must be the first argument the tool sees.
        return await fn([`--defaults-file=${file}`, ...args]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

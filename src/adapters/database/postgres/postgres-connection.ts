import { invalidInput } from '../../../core/errors/eclusa-error.js';

/**
 * A PostgreSQL connection URL taken apart so the password travels only where it must:
 * into the `pg` client in this process, and into PGPASSWORD for the client tools. Command
 * lines get the URL without it.
 */
export interface PostgresConnection {
  /** The database the URL names. */
  readonly database: string;
  /** The full URL for the `pg` client, pointed at `database` (default: the URL's own). */
  clientUrl(database?: string): string;
  /** The URL without any password, for `--dbname` on a tool's command line. */
  toolUrl(database?: string): string;
  /** Environment for the client tools: PGPASSWORD when the URL has a password, a connect timeout. */
  readonly toolEnv: Readonly<Record<string, string>>;
  /** host:port/database, for messages. */
  readonly where: string;
}

const CONNECT_TIMEOUT_SECONDS = '10';

export function parsePostgresConnection(connection: string): PostgresConnection {
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw invalidInput('DATABASE_URL_INVALID', 'the PostgreSQL connection is not a URL', {
      hint: 'set the secret to postgres://USER:PASSWORD@HOST:PORT/DATABASE',
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalidInput(
      'DATABASE_URL_INVALID',
      `the PostgreSQL connection URL starts with ${url.protocol}// instead of postgres://`,
      { hint: 'set the secret to postgres://USER:PASSWORD@HOST:PORT/DATABASE' },
    );
  }
  const queryPassword = url.searchParams.get('password');
  const password = url.password !== '' ? decodeURIComponent(url.password) : queryPassword;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';

  const at = (name: string | undefined, withPassword: boolean): string => {
    const copy = new URL(url.toString());
    if (!withPassword) {
      copy.password = '';
      copy.searchParams.delete('password');
    }
    if (name !== undefined) copy.pathname = `/${encodeURIComponent(name)}`;
    return copy.toString();
  };
  return {
    database,
    clientUrl: (name) => at(name, true),
    toolUrl: (name) => at(name, false),
    toolEnv: {
      PGCONNECT_TIMEOUT: CONNECT_TIMEOUT_SECONDS,
      ...(password === null ? {} : { PGPASSWORD: password }),
    },
    where: `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`,
  };
}

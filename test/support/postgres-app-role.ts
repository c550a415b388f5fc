import pg from 'pg';
import type { PostgresServer } from './postgres-server.js';

/** An application role that logs in with a password over TCP, as production roles do. */
export interface AppRole {
  readonly role: string;
  readonly password: string;
  /** A new database owned by the role; its URL carries the role's password. */
  createDatabase(): Promise<string>;
  /** The same URL with another password. */
  withPassword(url: string, password: string): string;
}

export const APP_PASSWORD = 'app-s3cret-pw';

/**
 * The throwaway server trusts every local connection; this adds a role that must give its
 * password (scram-sha-256) over TCP, rewriting pg_hba.conf through the server itself, so
 * wrong-password faults are real ones.
 */
export async function appRole(server: PostgresServer): Promise<AppRole> {
  const role = 'eclusa_app';
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`create role ${role} login createdb password '${APP_PASSWORD}'`);
    const { rows } = await admin.query<{ hba_file: string }>('show hba_file');
    const rules = [
      'local all all trust',
      'host all eclusa 127.0.0.1/32 trust',
      'host all all 127.0.0.1/32 scram-sha-256',
    ];
    await admin.query(
      `copy (select unnest(array[${rules.map((rule) => admin.escapeLiteral(rule)).join(', ')}])) to ${admin.escapeLiteral(rows[0]?.hba_file ?? '')}`,
    );
    await admin.query('select pg_reload_conf()');
  } finally {
    await admin.end();
  }
  const withPassword = (url: string, password: string): string => {
    const parsed = new URL(url);
    parsed.username = role;
    parsed.password = password;
    return parsed.toString();
  };
  // The reload is asynchronous: wait (bounded) until a wrong password is refused.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new pg.Client({ connectionString: withPassword(server.url, 'wrong') });
    const refused = await probe.connect().then(
      () => false,
      () => true,
    );
    await probe.end().catch(() => undefined);
    if (refused) break;
    if (Date.now() > deadline) throw new Error('pg_hba.conf reload did not take effect');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    role,
    password: APP_PASSWORD,
    withPassword,
    async createDatabase(): Promise<string> {
      const url = await server.createDatabase();
      const name = new URL(url).pathname.slice(1);
      const admin2 = new pg.Client({ connectionString: server.url });
      await admin2.connect();
      try {
        await admin2.query(`alter database ${name} owner to ${role}`);
      } finally {
        await admin2.end();
      }
      return withPassword(url, APP_PASSWORD);
    },
  };
}

/** Runs SQL on a database URL. */
export async function execSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

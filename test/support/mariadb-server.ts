import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** A throwaway MariaDB server for one test file. */
export interface MariadbServer {
  /** A database created at start, reached as the `eclusa` user with a password. */
  readonly url: string;
  readonly port: number;
  /** Creates another empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Runs SQL as root in `database` (default: none). */
  sql(text: string, database?: string): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export type MariadbUnavailable = { readonly skip: string };

const run = promisify(execFile);
const MISSING =
  'MariaDB binaries not found (mariadbd, mariadb-install-db, mysql, mysqldump): apt-get install mariadb-server';
export const MARIADB_PASSWORD = 'maria-s3cret-pw';

function which(name: string, extra: readonly string[] = []): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...extra];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** Where mariadbd is, or why MariaDB tests are skipped; under CI a missing binary throws. */
export function findMariadb():
  | { readonly server: string; readonly install: string; readonly client: string }
  | MariadbUnavailable {
  const server = which('mariadbd', ['/usr/sbin', '/usr/libexec']);
  const install = which('mariadb-install-db') ?? which('mysql_install_db');
  const client = which('mysql') ?? which('mariadb');
  if (server && install && client && which('mysqldump')) return { server, install, client };
  if (process.env['CI'] === 'true') throw new Error(`${MISSING} (CI=true: not skipping)`);
  return { skip: MISSING };
}

/**
 * Starts MariaDB on a free local port with a private data directory, a root reached over
 * its socket and an `eclusa` user with a password over TCP (to test real authentication).
 */
export async function startMariadb(): Promise<MariadbServer | MariadbUnavailable> {
  const found = findMariadb();
  if ('skip' in found) return found;
  const root = mkdtempSync(join(tmpdir(), 'eclusa-mariadb-'));
  const data = join(root, 'data');
  const socket = join(root, 'mysqld.sock');
  // mariadbd runs as root only when told so explicitly.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(found.install, [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...user,
  ]);
  const port = await freePort();
  let child: ChildProcess | undefined = spawn(
    found.server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${join(root, 'mariadbd.pid')}`,
      `--log-error=${join(root, 'error.log')}`,
      '--skip-log-bin',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-flush-log-at-trx-commit=0',
      ...user,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
  const stopSync = () => {
    // A test run that dies before afterAll must not leave a server behind.
    child?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  const sql = async (text: string, database?: string): Promise<string> => {
    const { stdout } = await run(found.client, [
      '--no-defaults',
      `--socket=${socket}`,
      '--user=root',
      '--default-character-set=utf8mb4',
      '--batch',
      '--skip-column-names',
      '-e',
      text,
      ...(database ? [database] : []),
    ]);
    return stdout;
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await sql('SELECT 1');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        stopSync();
        throw new Error(`MariaDB did not start: ${(error as Error).message}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await sql(
    `CREATE USER 'eclusa'@'127.0.0.1' IDENTIFIED BY '${MARIADB_PASSWORD}';
     GRANT ALL PRIVILEGES ON *.* TO 'eclusa'@'127.0.0.1';`,
  );
  let databases = 0;
  const createDatabase = async (): Promise<string> => {
    const name = `eclusa_test_${++databases}`;
    await sql(`CREATE DATABASE ${name}`);
    return `mysql://eclusa:${MARIADB_PASSWORD}@127.0.0.1:${port}/${name}`;
  };
  const url = await createDatabase();
  return {
    url,
    port,
    createDatabase,
    sql,
    stop: async () => {
      process.removeListener('exit', stopSync);
      child?.kill('SIGTERM');
      await exited;
      child = undefined;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** A throwaway PostgreSQL server for one test file. */
export interface PostgresServer {
  /** A database created at start, for tests that need only one. */
  readonly url: string;
  /** Creates another empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export type PostgresUnavailable = { readonly skip: string };

const run = promisify(execFile);
const USER = 'eclusa';
const MISSING = 'PostgreSQL binaries not found (initdb, pg_ctl): apt-get install postgresql';

/**
 * Where initdb and pg_ctl are, or why PostgreSQL tests are skipped. Under CI a missing
 * binary is a failure, never a skip, so this throws there.
 */
export function findPostgres(): { readonly bin: string } | PostgresUnavailable {
  const candidates = [
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean),
    ...versionedBinDirs('/usr/lib/postgresql'),
  ];
  const bin = candidates.find(
    (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')),
  );
  if (bin !== undefined) return { bin };
  if (process.env['CI'] === 'true') throw new Error(`${MISSING} (CI=true: not skipping)`);
  return { skip: MISSING };
}

/**
 * Starts PostgreSQL on a free local port with a private data directory (trust auth, user
 * `eclusa`, fsync off). As root it runs as the `postgres` user: initdb refuses root.
 */
export async function startPostgres(): Promise<PostgresServer | PostgresUnavailable> {
  const found = findPostgres();
  if ('skip' in found) return found;
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'eclusa-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sockets');
  mkdirSync(sockets);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    for (const path of [root, sockets]) chownSync(path, uid, gid);
  }
  const commandLine = (tool: string, args: string[]): [string, string[]] => {
    const command = join(found.bin, tool);
    return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  };
  const exec = (tool: string, args: string[]) => run(...commandLine(tool, args));
  const pgCtl = (args: string[]) => exec('pg_ctl', ['-D', data, ...args]);

  let started = false;
  const stopSync = () => {
    // A test run that dies before afterAll must not leave a server behind.
    if (started) {
      try {
        execFileSync(...commandLine('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), {
          stdio: 'ignore',
        });
      } catch {
        // already stopped
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  try {
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-sync']);
    const port = await startOnFreePort(async (port) => {
      const options = [
        `-p ${port}`,
        `-k ${sockets}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      await pgCtl(['-l', join(root, 'postgres.log'), '-w', '-t', '60', '-o', options, 'start']);
      started = true;
    });
    const base = `postgres://${USER}@127.0.0.1:${port}`;
    let databases = 0;
    const createDatabase = async (): Promise<string> => {
      const name = `eclusa_test_${++databases}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    };
    const url = await createDatabase();
    return {
      url,
      createDatabase,
      stop: async () => {
        process.removeListener('exit', stopSync);
        try {
          await pgCtl(['-w', '-m', 'fast', 'stop']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw error;
  }
}

/** `/usr/lib/postgresql/<version>/bin`, newest version first. */
function versionedBinDirs(parent: string): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(parent, version, 'bin'));
}

/** A free port can be taken between asking for it and binding it; try a few. */
async function startOnFreePort(start: (port: number) => Promise<void>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await start(port);
      return port;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
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

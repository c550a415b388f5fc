import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../../../core/database/database.js';
import {
  findPostgres,
  startPostgres,
  type PostgresServer,
} from '../../../../test/support/postgres-server.js';
import { appRole, execSql, type AppRole } from '../../../../test/support/postgres-app-role.js';
import { describeDatabaseContract } from '../database-contract.case.js';
import { postgresDatabase } from './postgres-database.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`PostgreSQL database tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  `PostgreSQL Database${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    const urls = new Map<string, string>();

    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      await server?.stop();
    });

    describeDatabaseContract('postgres', () => ({
      async fresh(): Promise<Database> {
        const url = await app.createDatabase();
        const database = postgresDatabase(url);
        urls.set(database.name, url);
        return database;
      },
      exec: (name, sql) => execSql(urls.get(name)!, sql),
      table: (name) => `public.${name}`,
      wrongPassword: (database) => ({
        database: postgresDatabase(app.withPassword(urls.get(database.name)!, 'not-the-pw-4242')),
        password: 'not-the-pw-4242',
      }),
      unreachable: () => postgresDatabase('postgres://eclusa_app:x@127.0.0.1:1/nowhere'),
    }));
  },
);

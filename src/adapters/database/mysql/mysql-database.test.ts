import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../../../core/database/database.js';
import {
  findMariadb,
  startMariadb,
  type MariadbServer,
} from '../../../../test/support/mariadb-server.js';
import { describeDatabaseContract } from '../database-contract.case.js';
import { mysqlDatabase } from './mysql-database.js';

const found = findMariadb();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`MariaDB database tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`MariaDB Database${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: MariadbServer;

  beforeAll(async () => {
    const started = await startMariadb();
    if ('skip' in started) throw new Error(started.skip);
    server = started;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeDatabaseContract('mysql (MariaDB)', () => ({
    fresh: async (): Promise<Database> => mysqlDatabase(await server.createDatabase()),
    exec: async (name, sql) => {
      await server.sql(sql, name);
    },
    table: (name) => name,
    wrongPassword: (database) => ({
      database: mysqlDatabase(
        `mysql://eclusa:not-the-pw-4242@127.0.0.1:${server.port}/${database.name}`,
      ),
      password: 'not-the-pw-4242',
    }),
    unreachable: () => mysqlDatabase('mysql://eclusa:x@127.0.0.1:1/nowhere'),
  }));
});
